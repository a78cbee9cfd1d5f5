package dev.turnpike.contract.eventstream;

import io.vertx.core.buffer.Buffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message of an AWS event stream: its headers in wire order and its payload.
 *
 * <p>Headers are strings here because every header a Bedrock stream carries is a string. The decoder renders the
 * other wire types as: booleans {@code true}/{@code false}; byte, short, int and long in signed decimal; byte arrays
 * in standard base64 with padding; timestamps as an ISO-8601 UTC instant ({@link java.time.Instant#toString()},
 * e.g. {@code 1970-01-01T02:24:35.309Z}); UUIDs in the canonical lower-case 8-4-4-4-12 form. The encoder writes
 * every header as a string (wire type 7).
 *
 * @param headers header name to value, kept in the given order (copied; unmodifiable)
 * @param payload the payload bytes (copied, so later changes to the caller's buffer do not leak in)
 */
public record EventStreamMessage(Map<String, String> headers, Buffer payload) {
  public EventStreamMessage {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(payload, "payload");
    headers.forEach((name, value) -> {
      Objects.requireNonNull(name, "header name");
      Objects.requireNonNull(value, "header value");
    });
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    payload = payload.copy();
  }

  /** Payload left out: it can be large, and it is the model's output rather than something to log. */
  @Override
  public String toString() {
    return "EventStreamMessage[headers=" + headers + ", payload=" + payload.length() + " bytes]";
  }
}
