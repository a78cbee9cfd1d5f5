package dev.turnpike.app.fakes;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One request as the fake received it: the raw body bytes are kept as they arrived so tests can check a
 * byte-for-byte passthrough, and the headers in a case-insensitive map so tests can look for leaked keys.
 */
public record RecordedRequest(String method, String path, String query, MultiMap headers, Buffer body,
                              long receivedAtMillis) {

  public String header(String name) {
    return headers.get(name);
  }

  /** The body as JSON, or null when it is empty or not a JSON object. */
  public JsonObject json() {
    if (body.length() == 0) {
      return null;
    }
    try {
      return new JsonObject(body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** True when the value appears anywhere in the headers or the body (for "this secret never got here"). */
  public boolean contains(String value) {
    for (var e : headers) {
      if (e.getValue().contains(value)) {
        return true;
      }
    }
    return body.toString(java.nio.charset.StandardCharsets.UTF_8).contains(value);
  }

  @Override
  public String toString() {
    return method + " " + path + (query == null ? "" : "?" + query) + " (" + body.length() + " bytes)";
  }
}
