package dev.turnpike.app.e2e;

import static dev.turnpike.app.e2e.ClaudeCodeRuns.CLIENT_KEY;
import static dev.turnpike.app.e2e.ClaudeCodeRuns.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeGeminiUpstream;
import dev.turnpike.app.fakes.FakeVertexUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.TestServiceAccount;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The real Claude Code CLI through a Turnpike node to a fake Gemini API that refuses what Gemini refuses: with a
 * {@code gemini/...} model from the Anthropic endpoint, each run must execute the fake's Bash tool call and print
 * its answer. With a Gemini 3 model the fake insists on the thought signature it issued, which only comes back if
 * it survived Claude Code's round trip inside the tool_use id. With {@code vertex/gemini-...} the same happens on a
 * fake Vertex AI, with the gateway's minted OAuth tokens and without call ids.
 */
@Tag("e2e")
class ClaudeCodeGeminiTest {
  private static final String GEMINI_KEY = "AIzaSyTurnpikeE2eFakeGeminiKey0000";

  private static Path claude;
  private static TestServiceAccount account;
  private Vertx vertx;
  private FakeGeminiUpstream gemini;
  private FakeVertexUpstream vertex;
  private TurnpikeNode node;
  private Path work;

  @BeforeAll
  static void installClaudeCode() throws Exception {
    claude = ClaudeCodeCli.installOrSkip();
    account = TestServiceAccount.generate("gateway@turnpike-e2e.iam.gserviceaccount.com", "turnpike-e2e");
  }

  @BeforeEach
  void start(TestInfo info) throws Exception {
    work = ClaudeCodeRuns.workDir(info);
    vertx = Vertx.vertx();
    gemini = await(new FakeGeminiUpstream(vertx).apiKey(GEMINI_KEY).bashTarget(ClaudeCodeRuns.madeByClaude(work))
        .start());
    vertex = await(new FakeVertexUpstream(vertx, account.publicKey(), account.email(), account.projectId(),
        "us-central1").bashTarget(ClaudeCodeRuns.madeByClaude(work)).start());
    node = await(TurnpikeNode.start(NodeConfigs.standalone(new JsonObject()
        .put("gemini", NodeConfigs.keyed("gemini", gemini.baseUrl(), GEMINI_KEY))
        .put("vertex", NodeConfigs.vertex(vertex, account, "us-central1")))));
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
  void claudeCodeWithAGemini25ModelFromTheAnthropicEndpoint() throws Exception {
    ClaudeCodeCli.Result r = runClaude("gemini/gemini-2.5-pro");

    assertFinished(r, "gemini-2.5-pro");
  }

  @Test
  void claudeCodeWithAGemini3ModelKeepsTheThoughtSignatureAcrossTheToolRoundTrip() throws Exception {
    ClaudeCodeCli.Result r = runClaude("gemini/gemini-3-pro-preview");

    assertFinished(r, "gemini-3-pro-preview");
    RecordedRequest answered = gemini.requests().stream()
        .filter(c -> c.body().toString().contains("functionResponse")).findFirst().orElseThrow();
    assertTrue(answered.body().toString().contains("\"thoughtSignature\""), "the signature went back to Gemini");
  }

  @Test
  void claudeCodeWithAGeminiModelOnVertexFromTheAnthropicEndpoint() throws Exception {
    ClaudeCodeCli.Result r = runClaude("vertex/gemini-3-pro-preview");

    ClaudeCodeRuns.assertFinished(r, work, vertex);
    List<RecordedRequest> calls = vertex.requests().stream().filter(c -> !c.path().equals("/token")).toList();
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertTrue(call.path().endsWith("/publishers/google/models/gemini-3-pro-preview:streamGenerateContent"),
          call.path());
      assertTrue(call.header("authorization").startsWith("Bearer ya29.fake-"), "a token the gateway minted");
      assertFalse(call.contains(CLIENT_KEY), "the client's key reached Vertex");
    }
    assertTrue(gemini.requests().isEmpty());
  }

  private ClaudeCodeCli.Result runClaude(String model) throws Exception {
    return ClaudeCodeRuns.run(claude, work, ClaudeCodeRuns.singleModelEnv(node.port(), model));
  }

  private void assertFinished(ClaudeCodeCli.Result r, String model) throws Exception {
    ClaudeCodeRuns.assertFinished(r, work, gemini);
    assertTrue(vertex.requests().isEmpty());
    List<RecordedRequest> calls = gemini.requests().stream()
        .filter(c -> c.path().endsWith(":streamGenerateContent") || c.path().endsWith(":generateContent")).toList();
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertEquals(model, FakeGeminiUpstream.modelOf(call), call.path());
      assertEquals(GEMINI_KEY, call.header("x-goog-api-key"));
      assertFalse(call.contains(CLIENT_KEY), "the client's key reached Gemini");
      assertFalse(call.query() != null && call.query().contains("key="), "the key never travels in the URL");
    }
  }
}
