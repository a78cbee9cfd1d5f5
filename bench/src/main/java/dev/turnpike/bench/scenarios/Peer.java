package dev.turnpike.bench.scenarios;

import dev.turnpike.bench.Endpoint;
import dev.turnpike.bench.Env;
import dev.turnpike.bench.Proc;
import dev.turnpike.bench.Scenario;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The peer: claude-code-router ({@code @musistudio/claude-code-router@2.0.0}, Node 20) doing the same
 * Anthropic -> OpenAI translation against the same fake. {@code bench/install-ccr.sh} installs it into
 * {@code ~/.cache/turnpike/ccr-2.0.0} (or {@code TURNPIKE_CCR_DIR}); it runs in the foreground
 * ({@code ccr start}) with a private {@code HOME} holding its {@code ~/.claude-code-router/config.json}.
 * If it is missing or does not start, the scenario fails with the reason and the run goes on.
 */
public final class Peer implements Scenario {
  static final String VERSION = "2.0.0";

  @Override
  public String name() {
    return "peer";
  }

  @Override
  public String description() {
    return "claude-code-router " + VERSION + " (Node) translating Anthropic -> OpenAI against the same fake";
  }

  @Override
  public int order() {
    return 90;
  }

  @Override
  public boolean peer() {
    return true;
  }

  /** A Node process that tokenizes each 76 KB body saturates far below Turnpike's ladder: start lower. */
  @Override
  public List<Integer> rates(dev.turnpike.bench.Plan plan) {
    return plan.peerLadder();
  }

  static Path cli() {
    return Env.cachedInstall("TURNPIKE_CCR_DIR", "ccr-" + VERSION)
        .resolve("node_modules/@musistudio/claude-code-router/dist/cli.js");
  }

  @Override
  public Running start(Env env) throws Exception {
    Path cli = cli();
    if (!Files.isRegularFile(cli)) {
      throw new IllegalStateException("claude-code-router " + VERSION + " is not installed at " + cli
          + " (bench/install-ccr.sh installs it; it needs npm and the npm registry)");
    }
    String nodeVersion = nodeVersion();
    if (!nodeVersion.startsWith("v20.")) {
      throw new IllegalStateException("the peer is specified on Node 20, found node " + nodeVersion);
    }
    int port = Env.freePort();
    Path home = env.workDir().resolve("ccr-home");
    Path configDir = home.resolve(".claude-code-router");
    Files.createDirectories(configDir);
    JsonObject config = new JsonObject()
        .put("LOG", false)
        .put("LOG_LEVEL", "error")
        .put("HOST", "127.0.0.1")
        .put("PORT", port)
        .put("API_TIMEOUT_MS", 600000)
        .put("NON_INTERACTIVE_MODE", true)
        .put("Providers", new JsonArray().add(new JsonObject()
            .put("name", "fake")
            .put("api_base_url", env.fakeBaseUrl("std") + "/v1/chat/completions")
            .put("api_key", "sk-bench-upstream")
            .put("models", new JsonArray().add("gpt-bench"))))
        .put("Router", new JsonObject().put("default", "fake,gpt-bench"));
    Files.writeString(configDir.resolve("config.json"), config.encodePrettily());
    Proc proc = Proc.start("peer-ccr", List.of("node", cli.toString(), "start"), home,
        Map.of("HOME", home.toString(), "CI", "true", "NO_COLOR", "1"), env.workDir().resolve("peer-ccr.log"), null);
    try {
      waitListening(proc, port, Duration.ofSeconds(60));
    } catch (Exception e) {
      proc.stop(Duration.ofSeconds(5));
      throw e;
    }
    Endpoint endpoint = Endpoint.anthropic(port, "/v1/messages?beta=true", "fake,gpt-bench");
    return new Running() {
      @Override
      public List<Endpoint> endpoints() {
        return List.of(endpoint);
      }

      @Override
      public List<Proc> processes() {
        return List.of(proc);
      }

      @Override
      public String note() {
        return "claude-code-router " + VERSION + " on node " + nodeVersion + ", LOG off";
      }

      @Override
      public void close() {
        proc.stop(Duration.ofSeconds(5));
      }
    };
  }

  private static void waitListening(Proc proc, int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!proc.alive()) {
        throw new IllegalStateException("claude-code-router exited before listening:\n" + proc.tail(20));
      }
      try (Socket socket = new Socket("127.0.0.1", port)) {
        Thread.sleep(500); // listening; give its plugins a moment
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("claude-code-router not listening on " + port + " after " + timeout + ":\n"
        + proc.tail(20));
  }

  static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return out;
    } catch (Exception e) {
      return "(node not found: " + e.getMessage() + ")";
    }
  }
}
