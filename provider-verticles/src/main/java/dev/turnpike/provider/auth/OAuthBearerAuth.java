package dev.turnpike.provider.auth;

import dev.turnpike.provider.UpstreamRequest;
import io.vertx.core.Future;

/** An OAuth2 access token from a {@link GoogleTokenSource} (cached, refreshed before expiry) as a bearer token. */
public final class OAuthBearerAuth implements UpstreamAuth {
  private final GoogleTokenSource tokens;

  public OAuthBearerAuth(GoogleTokenSource tokens) {
    this.tokens = tokens;
  }

  @Override
  public Future<Void> authorize(UpstreamRequest request) {
    return tokens.accessToken().map(token -> {
      request.headers().set("authorization", "Bearer " + token);
      return null;
    });
  }
}
