package dev.turnpike.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeGeminiUpstream;
import dev.turnpike.app.fakes.FakeUpstream;
import dev.turnpike.app.fakes.FakeVertexUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
  private static final String CLIENT_KEY = "sk-client-key";
  private static final String EMAIL = "gateway@turnpike-e2e.iam.gserviceaccount.com";

  private static Path claude;
  private Vertx vertx;
  private FakeGeminiUpstream gemini;
  private FakeVertexUpstream vertex;
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
    gemini = await(new FakeGeminiUpstream(vertx).apiKey(GEMINI_KEY).bashTarget(work.resolve("made-by-claude.txt"))
        .start());
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    vertex = await(new FakeVertexUpstream(vertx, keys.getPublic(), EMAIL, "turnpike-e2e", "us-central1")
        .bashTarget(work.resolve("made-by-claude.txt")).start());
    String account = new JsonObject().put("type", "service_account").put("project_id", "turnpike-e2e")
        .put("private_key_id", "k1").put("client_email", EMAIL).put("token_uri", vertex.tokenUrl())
        .put("private_key", "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
            keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n").encode();
    JsonObject config = new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("cluster", new JsonObject().put("enabled", false))
        .put("providers", new JsonObject()
            .put("gemini", new JsonObject().put("dialect", "gemini").put("base_url", gemini.baseUrl())
                .put("keys", new io.vertx.core.json.JsonArray().add(new JsonObject().put("value", GEMINI_KEY))))
            .put("vertex", new JsonObject().put("dialect", "vertex").put("base_url", vertex.baseUrl())
                .put("project", "turnpike-e2e").put("region", "us-central1")
                .put("google", new JsonObject().put("credentials_json", account))));
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

    assertFinishedBy(r, vertex);
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
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + node.port() + "/anthropic");
    env.put("ANTHROPIC_API_KEY", CLIENT_KEY);
    env.put("ANTHROPIC_MODEL", model);
    env.put("ANTHROPIC_SMALL_FAST_MODEL", model);
    return ClaudeCodeCli.runPrint(claude, work, env, "Create the file " + work.resolve("made-by-claude.txt")
        + " using Bash, then say done", 120);
  }

  private void assertFinishedBy(ClaudeCodeCli.Result r, FakeUpstream<?> upstream) throws Exception {
    String context = r + "\n--- upstream requests: " + upstream.requests();
    assertEquals(0, r.exitCode(), context);
    JsonObject json = r.json();
    assertNotNull(json, context);
    assertFalse(json.getBoolean("is_error", true), context);
    assertTrue(json.getString("result", "").contains(upstream.marker()), context);
    assertEquals("turnpike\n", Files.readString(work.resolve("made-by-claude.txt")), context);
    String toolId = upstream.issuedToolCallIds().get(0);
    assertTrue(upstream.receivedToolResultFor(toolId), "no functionResponse for " + toolId);
  }

  private void assertFinished(ClaudeCodeCli.Result r, String model) throws Exception {
    assertFinishedBy(r, gemini);
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

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
