package dev.turnpike.provider.auth;

import dev.turnpike.provider.UpstreamRequest;
import io.vertx.core.Future;

/** An OAuth2 access token from a {@link GoogleTokenSource} (cached, refreshed before expiry) as a bearer token. */
public final class OAuthBearerAuth implements UpstreamAuth {
  private static final String BEARER = "Bearer ";
  private final GoogleTokenSource tokens;

  public OAuthBearerAuth(GoogleTokenSource tokens) {
    this.tokens = tokens;
  }

  @Override
  public Future<Void> authorize(UpstreamRequest request) {
    return tokens.accessToken().map(token -> {
      request.headers().set("authorization", BEARER + token);
      return null;
    });
  }

  @Override
  public void rejected(UpstreamRequest request) {
    String authorization = request.headers().get("authorization");
    if (authorization != null && authorization.startsWith(BEARER)) {
      tokens.invalidate(authorization.substring(BEARER.length()));
    }
  }
}
