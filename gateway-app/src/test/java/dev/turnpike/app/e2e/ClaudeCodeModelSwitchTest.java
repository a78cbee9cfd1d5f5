package dev.turnpike.app.e2e;

import static dev.turnpike.app.e2e.ClaudeCodeRuns.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeAzureResource;
import dev.turnpike.app.fakes.FakeGeminiUpstream;
import dev.turnpike.app.fakes.FakeUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
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
 * A conversation Claude Code began with an Anthropic model (a signed thinking block, a Bash tool call and its
 * result) continued with another model, as {@code /model} does mid-session: the whole history then goes to the
 * new provider, whose strict fake must accept its translation (thinking left out, the tool call and its result
 * paired) and run one more tool round trip.
 */
@Tag("e2e")
class ClaudeCodeModelSwitchTest {
  private static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";
  private static final String GEMINI_KEY = "AIzaSyTurnpikeE2eFakeGeminiKey0000";
  private static final String AZURE_KEY = "azure-e2e-key";
  private static Path claude;
  private Vertx vertx;
  private FakeAnthropicUpstream anthropic;
  private FakeGeminiUpstream gemini;
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
    Path target = ClaudeCodeRuns.madeByClaude(work);
    vertx = Vertx.vertx();
    anthropic = await(new FakeAnthropicUpstream(vertx).bashTarget(target).start());
    anthropic.script(request -> {
      Reply reply = anthropic.claudeCodeReply(request);
      return reply.hasToolCall()
          ? Reply.message(new Reply.Thinking("The user wants a file; Bash can write it.", SIGNATURE),
              reply.blocks().get(0))
          : reply;
    });
    gemini = await(new FakeGeminiUpstream(vertx).apiKey(GEMINI_KEY).bashTarget(target).start());
    azure = await(new FakeAzureResource(vertx, AZURE_KEY, Map.of("gpt5-prod", "gpt-5-2025-08-07"),
        Set.of("claude-sonnet-4-5")).bashTarget(target).start());
    node = await(TurnpikeNode.start(NodeConfigs.standalone(new JsonObject()
        .put("anthropic", new JsonObject().put("dialect", "anthropic").put("base_url", anthropic.baseUrl()))
        .put("gemini", new JsonObject().put("dialect", "gemini").put("base_url", gemini.baseUrl())
            .put("keys", new JsonArray().add(GEMINI_KEY)))
        .put("azure", new JsonObject().put("dialect", "azure").put("base_url", azure.baseUrl())
            .put("keys", new JsonArray().add(AZURE_KEY))
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
  void aConversationBegunOnAnthropicContinuesOnGemini() throws Exception {
    beginOnAnthropic();

    ClaudeCodeCli.Result r = continueWith("gemini/gemini-2.5-pro");

    assertFinished(r, gemini);
    RecordedRequest first = gemini.requests().get(0);
    String sent = first.body().toString();
    assertTrue(sent.contains("functionCall") && sent.contains("functionResponse"),
        "the Anthropic turn's tool call and result reached Gemini: " + sent.length() + " bytes");
    assertFalse(sent.contains(SIGNATURE), "Anthropic's thinking signature means nothing to Gemini");
  }

  @Test
  void aConversationBegunOnAnthropicContinuesOnAzureOpenAi() throws Exception {
    beginOnAnthropic();

    ClaudeCodeCli.Result r = continueWith("azure/gpt-5");

    assertFinished(r, azure.openAi());
    String sent = azure.openAi().requests().get(0).body().toString();
    assertTrue(sent.contains("\"tool_calls\"") && sent.contains("\"role\":\"tool\""),
        "the Anthropic turn's tool call and result reached Azure");
    assertFalse(sent.contains(SIGNATURE));
  }

  private void beginOnAnthropic() throws Exception {
    ClaudeCodeCli.Result r = ClaudeCodeRuns.run(claude, work,
        ClaudeCodeRuns.singleModelEnv(node.port(), "anthropic/claude-sonnet-4-5"));
    assertFinished(r, anthropic);
    Files.delete(ClaudeCodeRuns.madeByClaude(work));
  }

  private ClaudeCodeCli.Result continueWith(String model) throws Exception {
    return ClaudeCodeCli.continuePrint(claude, work, ClaudeCodeRuns.singleModelEnv(node.port(), model),
        "Create the file " + ClaudeCodeRuns.madeByClaude(work) + " again using Bash, then say done", 120);
  }

  /** As {@link ClaudeCodeRuns#assertFinished}, for the fake's last tool call: the one this run made. */
  private void assertFinished(ClaudeCodeCli.Result r, FakeUpstream<?> upstream) throws Exception {
    String context = ClaudeCodeRuns.context(r, upstream);
    ClaudeCodeRuns.assertAnswered(r, upstream.marker(), context);
    ClaudeCodeRuns.assertFileWritten(work, context);
    List<String> ids = upstream.issuedToolCallIds();
    assertTrue(upstream.receivedToolResultFor(ids.get(ids.size() - 1)), "no tool result for " + ids);
  }
}
