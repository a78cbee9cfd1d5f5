package dev.turnpike.contract.config;

import io.vertx.core.json.JsonObject;
import java.util.function.DoubleSupplier;

/**
 * How often a failed attempt is tried again on the same target before the next one ({@code retries}): only
 * before the client has seen a byte, only for failures another try may cure (unreachable, timeout, 429, 5xx,
 * 529). Waits grow exponentially with full jitter; an upstream's {@code retry-after} is honoured when it is at
 * most {@code retry_after_max_ms}, and a longer one moves on to the next target at once.
 *
 * @param maxRetries tries of the same target after its first (0: fail over at once)
 */
public record RetryPolicy(int maxRetries, long initialBackoffMs, long maxBackoffMs, long retryAfterMaxMs) {
  public static final RetryPolicy DEFAULTS = new RetryPolicy(1, 200, 2_000, 5_000);

  public static RetryPolicy fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULTS;
    }
    return new RetryPolicy(json.getInteger("max_retries", DEFAULTS.maxRetries()),
        json.getLong("initial_backoff_ms", DEFAULTS.initialBackoffMs()),
        json.getLong("max_backoff_ms", DEFAULTS.maxBackoffMs()),
        json.getLong("retry_after_max_ms", DEFAULTS.retryAfterMaxMs()));
  }

  /**
   * How long to wait before retry number {@code retry} (1 for the first), or -1 to move on to the next target:
   * the upstream asked for longer than we wait, or the retries are used up.
   */
  public long delayMs(int retry, int retryAfterSeconds, DoubleSupplier random) {
    if (retry > maxRetries) {
      return -1;
    }
    if (retryAfterSeconds > 0) {
      long asked = retryAfterSeconds * 1000L;
      return asked <= retryAfterMaxMs ? asked : -1;
    }
    long ceiling = Math.min(maxBackoffMs, initialBackoffMs << Math.min(20, retry - 1));
    return (long) (random.getAsDouble() * ceiling);
  }
}
