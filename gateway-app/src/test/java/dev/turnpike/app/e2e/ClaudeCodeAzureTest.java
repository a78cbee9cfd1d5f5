package dev.turnpike.app.e2e;

import static dev.turnpike.app.e2e.ClaudeCodeRuns.CLIENT_KEY;
import static dev.turnpike.app.e2e.ClaudeCodeRuns.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeAzureOpenAiUpstream;
import dev.turnpike.app.fakes.FakeAzureResource;
import dev.turnpike.app.fakes.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The real Claude Code CLI through a Turnpike node with one {@code azure} provider, against a fake Foundry resource
 * that serves both of its APIs behind one key: {@code azure/claude-sonnet-4-5} from the Anthropic endpoint and
 * {@code azure/gpt-5} from an Azure OpenAI deployment, each a Bash tool round trip the fake checks strictly.
 */
@Tag("e2e")
class ClaudeCodeAzureTest {
  private static final String KEY = "azure-resource-key-e2e";

  private static Path claude;
  private Vertx vertx;
  private FakeAzureResource azure;
  private TurnpikeNode node;
  private Path work;

  @BeforeAll
  static void installClaudeCode() throws Exception {
    claude = ClaudeCodeCli.installOrSkip();
  }

  @BeforeEach
  void start(TestInfo info) throws Exception {
    work = ClaudeCodeRuns.workDir(info);
    vertx = Vertx.vertx();
    azure = await(new FakeAzureResource(vertx, KEY, Map.of("gpt5-prod", "gpt-5-2025-08-07"),
        Set.of("claude-sonnet-4-5")).bashTarget(ClaudeCodeRuns.madeByClaude(work)).start());
    node = await(TurnpikeNode.start(NodeConfigs.standalone(new JsonObject()
        .put("azure", new JsonObject().put("dialect", "azure").put("base_url", azure.baseUrl())
            .put("keys", new JsonArray().add(KEY))
            .put("deployments", new JsonObject().put("gpt-5", "gpt5-prod"))))));
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      await(node.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void claudeCodeWithAClaudeModelInFoundry() throws Exception {
    ClaudeCodeCli.Result r = runClaude("azure/claude-sonnet-4-5");

    ClaudeCodeRuns.assertFinished(r, work, azure.claude());
    List<RecordedRequest> calls = azure.claude().requests().stream()
        .filter(c -> c.path().equals("/anthropic/v1/messages")).toList();
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertEquals("claude-sonnet-4-5", call.json().getString("model"));
      assertEquals(KEY, call.header("api-key"));
      assertFalse(call.contains(CLIENT_KEY), "the client's key reached Azure");
    }
    assertTrue(azure.openAi().requests().isEmpty());
  }

  @Test
  void claudeCodeWithAnAzureOpenAiDeployment() throws Exception {
    ClaudeCodeCli.Result r = runClaude("azure/gpt-5");

    ClaudeCodeRuns.assertFinished(r, work, azure.openAi());
    List<RecordedRequest> calls = azure.openAi().requests();
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertEquals("gpt5-prod", FakeAzureOpenAiUpstream.deploymentOf(call), call.path());
      assertEquals("api-version=2024-10-21", call.query());
      assertEquals(KEY, call.header("api-key"));
      assertFalse(call.contains(CLIENT_KEY), "the client's key reached Azure");
    }
    assertTrue(azure.claude().requests().isEmpty());
  }

  private ClaudeCodeCli.Result runClaude(String model) throws Exception {
    return ClaudeCodeRuns.run(claude, work, ClaudeCodeRuns.anthropicEndpointEnv(node.port(), model));
  }
}
