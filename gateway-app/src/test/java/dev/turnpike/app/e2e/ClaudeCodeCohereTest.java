package dev.turnpike.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.FakeCohereUpstream;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The real Claude Code CLI through a Turnpike node whose {@code cohere/...} models go to a fake Cohere v2 chat API
 * that refuses what Cohere refuses: the run must execute the fake's Bash tool call, send its result back as a
 * {@code tool} message Cohere accepts, and print the fake's final answer.
 */
@Tag("e2e")
class ClaudeCodeCohereTest {
  private static final String MODEL = "command-a-03-2025";
  private static final String UPSTREAM_KEY = "co-e2e-upstream-key";
  private static final String CLIENT_KEY = "sk-client-key";

  private static Path claude;
  private Vertx vertx;
  private FakeCohereUpstream cohere;
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
    cohere = await(new FakeCohereUpstream(vertx).requireKey(UPSTREAM_KEY).bashTarget(work.resolve("made-by-claude.txt"))
        .start());
    JsonObject config = new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("cluster", new JsonObject().put("enabled", false))
        .put("providers", new JsonObject().put("cohere", new JsonObject().put("dialect", "cohere")
            .put("base_url", cohere.baseUrl())
            .put("keys", new JsonArray().add(new JsonObject().put("value", UPSTREAM_KEY)))));
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
  void claudeCodeWithACohereModelRunsABashToolRoundTrip() throws Exception {
    ClaudeCodeCli.Result r = runClaude();

    assertFinished(r);
  }

  @Test
  void claudeCodeWithACohereModelWhenTheUpstreamSplitsItsStreamAtAwkwardBytes() throws Exception {
    cohere.faults(Faults.none().splitEvery(3));

    ClaudeCodeCli.Result r = runClaude();

    assertFinished(r);
  }

  private ClaudeCodeCli.Result runClaude() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + node.port() + "/anthropic");
    env.put("ANTHROPIC_API_KEY", CLIENT_KEY);
    env.put("ANTHROPIC_MODEL", "cohere/" + MODEL);
    return ClaudeCodeCli.runPrint(claude, work, env, "Create the file " + work.resolve("made-by-claude.txt")
        + " using Bash, then say done", 120);
  }

  private void assertFinished(ClaudeCodeCli.Result r) throws Exception {
    String context = r + "\n--- upstream requests: " + cohere.requests();
    assertEquals(0, r.exitCode(), context);
    JsonObject json = r.json();
    assertNotNull(json, context);
    assertFalse(json.getBoolean("is_error", true), context);
    assertTrue(json.getString("result", "").contains(cohere.marker()), context);
    assertEquals("turnpike\n", Files.readString(work.resolve("made-by-claude.txt")), context);
    String toolId = cohere.issuedToolCallIds().get(0);
    assertTrue(cohere.receivedToolResultFor(toolId), "no tool message for " + toolId);
    List<RecordedRequest> calls = cohere.requests(FakeCohereUpstream.CHAT_PATH);
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertEquals(MODEL, call.json().getString("model"));
      assertEquals("Bearer " + UPSTREAM_KEY, call.header("authorization"));
      assertFalse(call.contains(CLIENT_KEY), "the client's key reached Cohere");
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
