package dev.turnpike.contract.config;

import io.vertx.core.json.JsonObject;

/**
 * Upstream timeouts in milliseconds. First byte is long by default because a non-streaming answer arrives
 * whole, and a long thinking answer can take minutes.
 */
public record Timeouts(long connectMs, long firstByteMs, long idleMs) {
  public static final Timeouts DEFAULTS = new Timeouts(10_000, 600_000, 300_000);

  public static Timeouts fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULTS;
    }
    return new Timeouts(json.getLong("connect_ms", DEFAULTS.connectMs()),
        json.getLong("first_byte_ms", DEFAULTS.firstByteMs()), json.getLong("idle_ms", DEFAULTS.idleMs()));
  }
}
