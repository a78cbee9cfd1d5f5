package dev.turnpike.edge;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * The client's credential: {@code x-turnpike-vk} (a virtual key beside a provider-style key; Claude Code sends it
 * through ANTHROPIC_CUSTOM_HEADERS, in every mode), {@code x-api-key} (ANTHROPIC_API_KEY) or
 * {@code Authorization: Bearer} (ANTHROPIC_AUTH_TOKEN, or AWS_BEARER_TOKEN_BEDROCK in Bedrock mode). An AWS
 * signature ({@code Authorization: AWS4-HMAC-SHA256 ...}) or a Google token in another header is the cloud's
 * credential, which the gateway holds itself: it is never taken for a key.
 */
final class Credentials {
  private static final String BEARER = "bearer ";

  private Credentials() {}

  /** The credential, or null when the client sent none. Claude Code may send both; the API key wins. */
  static String of(HttpServerRequest request) {
    return of(request.headers());
  }

  static String of(MultiMap headers) {
    String virtualKey = headers.get("x-turnpike-vk");
    if (virtualKey != null && !virtualKey.isBlank()) {
      return virtualKey.trim();
    }
    String apiKey = headers.get("x-api-key");
    if (apiKey != null && !apiKey.isBlank()) {
      return apiKey.trim();
    }
    String authorization = headers.get("authorization");
    if (authorization != null && authorization.length() > BEARER.length()
        && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      String token = authorization.substring(BEARER.length()).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }
}
