package dev.turnpike.contract;

import java.util.Map;

/**
 * What an attempt holds of its caller's limits, until its {@link AttemptSettlement}. Only ever on the node that
 * made it.
 *
 * @param hold governance's handle, opaque to everyone else
 * @param headers what to tell the client about its limits on a successful answer ({@code anthropic-ratelimit-unified-*})
 */
public record Reservation(Object hold, Map<String, String> headers) {
  public static final Reservation NONE = new Reservation(null, Map.of());

  public Reservation {
    headers = Map.copyOf(headers);
  }
}
