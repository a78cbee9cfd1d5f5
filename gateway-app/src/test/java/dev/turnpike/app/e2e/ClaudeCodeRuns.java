package dev.turnpike.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeUpstream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInfo;

/**
 * What the Claude Code end-to-end tests share: a fresh work directory per test, the environment that points the CLI
 * at a node's Anthropic endpoint, the one task every run is given (write a file with Bash, then say done) and the
 * checks that it was done.
 */
final class ClaudeCodeRuns {
  /** The key Claude Code presents; no upstream may ever see it. */
  static final String CLIENT_KEY = "sk-client-key";
  private static final long RUN_TIMEOUT_SECONDS = 120;

  private ClaudeCodeRuns() {}

  /** {@code target/e2e/<test method>}, emptied, so a run's output is its own and is kept for whoever reads it. */
  static Path workDir(TestInfo info) throws IOException {
    Path work = Path.of("target", "e2e", info.getTestMethod().orElseThrow().getName()).toAbsolutePath();
    if (Files.exists(work)) {
      try (Stream<Path> old = Files.walk(work)) {
        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(work);
  }

  /** The file the fakes' Bash tool call writes {@code turnpike} into. */
  static Path madeByClaude(Path work) {
    return work.resolve("made-by-claude.txt");
  }

  /** Claude Code on the node's Anthropic endpoint with the client's key, asking for {@code model}. */
  static Map<String, String> anthropicEndpointEnv(int port, String model) {
    return Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + port + "/anthropic", "ANTHROPIC_API_KEY", CLIENT_KEY,
        "ANTHROPIC_MODEL", model);
  }

  /** As {@link #anthropicEndpointEnv}, its background calls on {@code model} too, not on a Haiku the node lacks. */
  static Map<String, String> singleModelEnv(int port, String model) {
    return Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + port + "/anthropic", "ANTHROPIC_API_KEY", CLIENT_KEY,
        "ANTHROPIC_MODEL", model, "ANTHROPIC_SMALL_FAST_MODEL", model);
  }

  /** {@code claude -p} in {@code work} with {@code env}, asked to write {@link #madeByClaude} with Bash. */
  static ClaudeCodeCli.Result run(Path claude, Path work, Map<String, String> env) throws Exception {
    return ClaudeCodeCli.runPrint(claude, work, env, "Create the file " + madeByClaude(work)
        + " using Bash, then say done", RUN_TIMEOUT_SECONDS);
  }

  /** Claude Code exited 0 with a result that is no error and carries {@code marker}, the upstream's final text. */
  static void assertAnswered(ClaudeCodeCli.Result r, String marker, String context) {
    assertEquals(0, r.exitCode(), context);
    JsonObject json = r.json();
    assertNotNull(json, context);
    assertFalse(json.getBoolean("is_error", true), context);
    assertTrue(json.getString("result", "").contains(marker), context);
  }

  /** The Bash tool call ran: the file holds what the fake's command wrote. */
  static void assertFileWritten(Path work, String context) throws IOException {
    assertEquals("turnpike\n", Files.readString(madeByClaude(work)), context);
  }

  /** The run went through {@code upstream}: answered, the file written, the first tool call's result sent back. */
  static void assertFinished(ClaudeCodeCli.Result r, Path work, FakeUpstream<?> upstream) throws IOException {
    String context = context(r, upstream);
    assertAnswered(r, upstream.marker(), context);
    assertFileWritten(work, context);
    String toolId = upstream.issuedToolCallIds().get(0);
    assertTrue(upstream.receivedToolResultFor(toolId), "no tool result for " + toolId);
  }

  /** The run's output and what {@code upstream} received, for a failure message. */
  static String context(ClaudeCodeCli.Result r, FakeUpstream<?> upstream) {
    return r + "\n--- upstream requests: " + upstream.requests();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
