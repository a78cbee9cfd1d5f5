package dev.turnpike.app.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves {@link FakeAnthropicUpstream} speaks a wire format the real Claude Code accepts, by pointing Claude
 * Code at it directly (no Turnpike in between): the tool call is executed, its result comes back with the
 * fake's tool-call id, and the final text reaches the JSON result. Also with the SSE cut into 7-byte pieces and
 * after a 429, to show those faults are well-formed HTTP a real client recovers from.
 */
@Tag("e2e")
class ClaudeCodeAgainstFakeTest {

  private static Vertx vertx;
  private static Path claude;
  private FakeAnthropicUpstream fake;

  @TempDir
  Path work;

  @BeforeAll
  static void install() throws Exception {
    claude = ClaudeCodeCli.installOrSkip();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @BeforeEach
  void startFake() throws Exception {
    fake = await(new FakeAnthropicUpstream(vertx).requireKey("sk-test").start());
  }

  @AfterEach
  void stopFake() throws Exception {
    await(fake.close());
  }

  @Test
  void claudeCodeRunsTheFakesToolCallAndPrintsItsFinalText() throws Exception {
    runAndCheck(Map.of());
  }

  @Test
  void claudeCodeAcceptsTheStreamCutIntoSevenBytePieces() throws Exception {
    fake.faults(Faults.none().splitEvery(7));
    runAndCheck(Map.of());
  }

  @Test
  void claudeCodeRetriesAfterTheFakes429() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    fake.script(req -> calls.getAndIncrement() == 0 ? Reply.rateLimited(1) : fake.claudeCodeReply(req));
    runAndCheck(Map.of());
    // The first call was refused with 429 + retry-after, yet the run succeeded: Claude Code retried it.
    assertEquals(3, fake.requests("/v1/messages").size(), () -> "429, retry, tool result: " + fake.requests());
  }

  @Test
  void claudeCodeWithAProviderPrefixedModelSendsTheNameVerbatim() throws Exception {
    runAndCheck(Map.of("ANTHROPIC_MODEL", "anthropic/claude-sonnet-4-5"));
    for (RecordedRequest r : fake.requests("/v1/messages")) {
      assertEquals("anthropic/claude-sonnet-4-5", r.json().getString("model"));
    }
  }

  private void runAndCheck(Map<String, String> env) throws Exception {
    Path target = work.resolve("made-by-claude.txt");
    fake.bashTarget(target);
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("ANTHROPIC_BASE_URL", fake.baseUrl());
    all.put("ANTHROPIC_API_KEY", "sk-test");
    ClaudeCodeCli.Result r = ClaudeCodeCli.runPrint(claude, work,
        all, "Create the file " + target + " using Bash, then say done", 120);

    assertEquals(0, r.exitCode(), r::toString);
    JsonObject json = r.json();
    assertNotNull(json, r::toString);
    assertFalse(json.getBoolean("is_error", true), r::toString);
    assertTrue(json.getString("result", "").contains(fake.marker()), r::toString);
    assertTrue(Files.exists(target), "Bash tool did not write " + target + "\n" + r);
    assertEquals("turnpike\n", Files.readString(target));
    String toolId = fake.issuedToolCallIds().get(0);
    assertTrue(fake.receivedToolResultFor(toolId), "no tool_result for " + toolId);
    for (RecordedRequest req : fake.requests()) {
      assertEquals("/v1/messages", req.path(), "unexpected side call " + req);
      assertEquals("beta=true", req.query());
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
