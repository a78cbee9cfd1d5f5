package dev.turnpike.edge;

import io.vertx.core.http.HttpServerRequest;

/**
 * The client's credential: {@code x-turnpike-vk} (a virtual key beside a provider-style key), {@code x-api-key}
 * (ANTHROPIC_API_KEY) or {@code Authorization: Bearer} (ANTHROPIC_AUTH_TOKEN).
 */
final class Credentials {
  private static final String BEARER = "bearer ";

  private Credentials() {}

  /** The credential, or null when the client sent none. Claude Code may send both; the API key wins. */
  static String of(HttpServerRequest request) {
    String virtualKey = request.getHeader("x-turnpike-vk");
    if (virtualKey != null && !virtualKey.isBlank()) {
      return virtualKey.trim();
    }
    String apiKey = request.getHeader("x-api-key");
    if (apiKey != null && !apiKey.isBlank()) {
      return apiKey.trim();
    }
    String authorization = request.getHeader("authorization");
    if (authorization != null && authorization.length() > BEARER.length()
        && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      String token = authorization.substring(BEARER.length()).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }
}
