package dev.turnpike.app;

import java.util.logging.LogManager;

/**
 * java.util.logging closes its handlers in a shutdown hook of its own, which runs beside the node's drain hook:
 * everything the drain logs on SIGTERM (what was still in flight, what was cut) would be lost. This manager
 * ignores that reset once the JVM is shutting down; console output needs no closing.
 */
public final class DrainSafeLogManager extends LogManager {
  @Override
  public void reset() {
    if (!shuttingDown()) {
      super.reset();
    }
  }

  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> { });
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
