package dev.turnpike.app;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar turnpike.jar [--config FILE] [--port N]}; {@code TURNPIKE_CONFIG} and {@code TURNPIKE_PORT}
 * do the same. Without a config file the node runs on the embedded defaults (ARCHITECTURE.md §5).
 */
public final class Main {
  static {
    // Before anything logs: the drain on SIGTERM must still be able to.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", DrainSafeLogManager.class.getName());
    }
  }

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    String configFile = System.getenv("TURNPIKE_CONFIG");
    String port = System.getenv("TURNPIKE_PORT");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config", "-c" -> configFile = value(args, ++i);
        case "--port", "-p" -> port = value(args, ++i);
        case "--help", "-h" -> {
          System.out.println("Usage: turnpike [--config FILE] [--port N]   (env: TURNPIKE_CONFIG, TURNPIKE_PORT)");
          return;
        }
        default -> fail("Unknown argument: " + args[i]);
      }
    }
    JsonObject config;
    try {
      Integer portOverride = port == null || port.isBlank() ? null : Integer.valueOf(port.trim());
      config = ConfigLoader.fromSystemEnvironment()
          .load(configFile == null || configFile.isBlank() ? null : Path.of(configFile), portOverride);
    } catch (NumberFormatException e) {
      fail("--port must be a number, not " + port);
      return;
    } catch (ConfigException e) {
      fail(e.getMessage());
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    startOrExit(config)
        // SIGTERM (a rolling restart, Ctrl-C) drains: in-flight requests finish, counters flush, then the node leaves.
        .onSuccess(node -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            node.drain().await();
          } catch (Exception ignored) {
            // shutting down anyway
          }
        }, "turnpike-drain")))
        .onFailure(error -> {
          System.err.println("Turnpike failed to start: " + error.getMessage());
          System.exit(1);
        });
    stopped.await(); // the node runs until the JVM is stopped
  }

  private static io.vertx.core.Future<TurnpikeNode> startOrExit(JsonObject config) {
    try {
      return TurnpikeNode.startPrepared(config, System::getenv);
    } catch (RuntimeException e) {
      // Anything thrown before the node exists is a setup problem: one message, no stack trace.
      return io.vertx.core.Future.failedFuture(e);
    }
  }

  private static String value(String[] args, int index) {
    if (index >= args.length) {
      fail(args[index - 1] + " needs a value");
    }
    return args[index];
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
