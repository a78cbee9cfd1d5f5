package dev.turnpike.provider;

import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers cross the gateway (ARCHITECTURE.md §8). Towards an upstream: never the client's credentials or cookies,
 * what proxies in front of us said about the client ({@code x-forwarded-*}, {@code forwarded}, {@code x-real-ip}),
 * hop-by-hop and framing headers (we frame the request ourselves, so {@code expect} does not apply either), and
 * what a cloud SDK adds for its own service ({@code x-amz-*}, {@code x-amzn-*}, {@code amz-sdk-*}, {@code x-goog-*}:
 * signatures, session tokens, invocation ids of a Bedrock or Vertex client, which the gateway answers itself).
 * Towards the client: never the operator's account identifiers or cookies. {@code anthropic-*} and
 * {@code x-claude-code-*} headers are an open list and pass both ways.
 */
public final class Headers {
  private static final Set<String> NOT_FORWARDED_UP = Set.of("host", "content-length", "connection", "keep-alive",
      "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-connection", "x-api-key",
      "authorization", "accept-encoding", "cookie", "x-goog-api-key", "api-key", "forwarded", "x-real-ip",
      "expect", "http2-settings");
  private static final Set<String> NOT_RETURNED_DOWN = Set.of("content-length", "connection", "keep-alive",
      "transfer-encoding", "te", "trailer", "upgrade", "set-cookie", "set-cookie2", "content-encoding", "alt-svc",
      "server", "date", "via", "cf-ray", "cf-cache-status", "strict-transport-security",
      "anthropic-organization-id", "openai-organization", "openai-project");
  /** What a client's retry logic reads from an error answer, passed unchanged with a same-family error. */
  private static final Set<String> ERROR_HEADERS = Set.of("content-type", "retry-after", "x-should-retry",
      "request-id", "x-request-id");
  private static final String RATE_LIMIT_PREFIX = "anthropic-ratelimit-";
  private static final List<String> NOT_FORWARDED_UP_PREFIXES = List.of("x-turnpike-", "x-forwarded-", "x-amz-",
      "x-amzn-", "amz-sdk-", "x-goog-");

  private Headers() {}

  /** The client's headers that a same-family upstream should see, names lower-cased. */
  public static MultiMap forwardable(MultiMap client) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : client) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!NOT_FORWARDED_UP.contains(name) && !hasUnforwardedPrefix(name)) {
        out.add(name, header.getValue());
      }
    }
    return out;
  }

  private static boolean hasUnforwardedPrefix(String name) {
    for (String prefix : NOT_FORWARDED_UP_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
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

  /** The headers of an upstream error answer that travel with it to the client. */
  public static Map<String, String> ofErrorAnswer(MultiMap upstream) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : upstream) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (ERROR_HEADERS.contains(name) || name.startsWith(RATE_LIMIT_PREFIX)) {
        out.putIfAbsent(name, header.getValue());
      }
    }
    return out;
  }
}
