package dev.turnpike.provider;

import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which headers cross the gateway. The client's credentials never reach an upstream. */
public final class Headers {
  /** Hop-by-hop headers, framing we redo ourselves, and the client's credentials. */
  private static final Set<String> NOT_FORWARDED_UP = Set.of("host", "content-length", "connection", "keep-alive",
      "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-connection", "x-api-key",
      "authorization", "accept-encoding", "cookie", "x-goog-api-key", "api-key");
  private static final Set<String> NOT_RETURNED_DOWN = Set.of("content-length", "connection", "keep-alive",
      "transfer-encoding", "te", "trailer", "upgrade", "set-cookie", "content-encoding", "alt-svc", "server",
      "date", "via", "cf-ray", "cf-cache-status", "strict-transport-security");

  private Headers() {}

  /** The client's headers that a same-family upstream should see, names lower-cased. */
  public static MultiMap forwardable(MultiMap client) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : client) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!NOT_FORWARDED_UP.contains(name) && !name.startsWith("x-turnpike-")) {
        out.add(name, header.getValue());
      }
    }
    return out;
  }

  /** The upstream's response headers the client should see, names lower-cased. */
  public static Map<String, String> returnable(MultiMap upstream) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : upstream) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!NOT_RETURNED_DOWN.contains(name)) {
        out.putIfAbsent(name, header.getValue());
      }
    }
    return out;
  }
}
