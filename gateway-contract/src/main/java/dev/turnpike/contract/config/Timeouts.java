package dev.turnpike.contract.config;

import io.vertx.core.json.JsonObject;

/**
 * Upstream and internal timeouts in milliseconds. First byte is long by default because a non-streaming answer
 * arrives whole, and a long thinking answer can take minutes.
 *
 * @param pausedMs how long a client that stopped reading may hold its upstream call (backpressure has paused
 *     the upstream meanwhile); then the stream is ended
 * @param internalMs how long the edge waits for governance and the router (they answer in microseconds; this
 *     only catches a bug)
 * @param reservationWaitMs how long a request may wait for budget that requests in flight hold (reserved at their
 *     worst case, they usually settle for less) before it is told to retry; never for budget already spent
 */
public record Timeouts(long connectMs, long firstByteMs, long idleMs, long pausedMs, long internalMs,
                       long reservationWaitMs) {
  public static final Timeouts DEFAULTS = new Timeouts(10_000, 600_000, 300_000, 120_000, 5_000, 20_000);

  public static Timeouts fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULTS;
    }
    return new Timeouts(json.getLong("connect_ms", DEFAULTS.connectMs()),
        json.getLong("first_byte_ms", DEFAULTS.firstByteMs()), json.getLong("idle_ms", DEFAULTS.idleMs()),
        json.getLong("paused_ms", DEFAULTS.pausedMs()), json.getLong("internal_ms", DEFAULTS.internalMs()),
        json.getLong("reservation_wait_ms", DEFAULTS.reservationWaitMs()));
  }
}
