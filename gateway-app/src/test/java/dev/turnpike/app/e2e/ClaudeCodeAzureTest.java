package dev.turnpike.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeAzureOpenAiUpstream;
import dev.turnpike.app.fakes.FakeAzureResource;
import dev.turnpike.app.fakes.FakeUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
  private static final String CLIENT_KEY = "sk-client-key";

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
    work = Files.createDirectories(Path.of("target", "e2e", info.getTestMethod().orElseThrow().getName())
        .toAbsolutePath());
    Files.deleteIfExists(work.resolve("made-by-claude.txt"));
    vertx = Vertx.vertx();
    azure = await(new FakeAzureResource(vertx, KEY, Map.of("gpt5-prod", "gpt-5-2025-08-07"),
        Set.of("claude-sonnet-4-5")).bashTarget(work.resolve("made-by-claude.txt")).start());
    JsonObject config = new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("cluster", new JsonObject().put("enabled", false))
        .put("providers", new JsonObject()
            .put("azure", new JsonObject().put("dialect", "azure").put("base_url", azure.baseUrl())
                .put("keys", new JsonArray().add(KEY))
                .put("deployments", new JsonObject().put("gpt-5", "gpt5-prod"))));
    node = await(TurnpikeNode.start(config));
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

    assertFinished(r, azure.claude());
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

    assertFinished(r, azure.openAi());
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
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + node.port() + "/anthropic");
    env.put("ANTHROPIC_API_KEY", CLIENT_KEY);
    env.put("ANTHROPIC_MODEL", model);
    return ClaudeCodeCli.runPrint(claude, work, env, "Create the file " + work.resolve("made-by-claude.txt")
        + " using Bash, then say done", 120);
  }

  private void assertFinished(ClaudeCodeCli.Result r, FakeUpstream<?> upstream) throws Exception {
    String context = r + "\n--- upstream requests: " + upstream.requests();
    assertEquals(0, r.exitCode(), context);
    JsonObject json = r.json();
    assertNotNull(json, context);
    assertFalse(json.getBoolean("is_error", true), context);
    assertTrue(json.getString("result", "").contains(upstream.marker()), context);
    assertEquals("turnpike\n", Files.readString(work.resolve("made-by-claude.txt")), context);
    String toolId = upstream.issuedToolCallIds().get(0);
    assertTrue(upstream.receivedToolResultFor(toolId), "no tool_result for " + toolId);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
