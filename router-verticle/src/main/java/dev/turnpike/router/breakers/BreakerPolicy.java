package dev.turnpike.router.breakers;

import io.vertx.core.json.JsonObject;

/**
 * When a target's breaker opens ({@code breakers}): after {@code consecutive_failures} failed attempts in a row, or
 * when at least {@code min_requests} attempts in the last {@code window_ms} failed at {@code failure_rate} or more;
 * it stays open {@code cooldown_ms}, then lets one probe through (half-open): a success closes it, a failure opens
 * it again. {@code per_model} keys breakers by provider and model; otherwise by provider.
 */
public record BreakerPolicy(boolean enabled, boolean perModel, int consecutiveFailures, double failureRate,
                            int minRequests, long windowMs, long cooldownMs) {
  public static final BreakerPolicy DEFAULTS = new BreakerPolicy(true, true, 5, 0.5, 20, 30_000, 30_000);

  public static BreakerPolicy fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULTS;
    }
    return new BreakerPolicy(json.getBoolean("enabled", DEFAULTS.enabled()),
        json.getBoolean("per_model", DEFAULTS.perModel()),
        json.getInteger("consecutive_failures", DEFAULTS.consecutiveFailures()),
        json.getDouble("failure_rate", DEFAULTS.failureRate()),
        json.getInteger("min_requests", DEFAULTS.minRequests()),
        json.getLong("window_ms", DEFAULTS.windowMs()),
        json.getLong("cooldown_ms", DEFAULTS.cooldownMs()));
  }
}
