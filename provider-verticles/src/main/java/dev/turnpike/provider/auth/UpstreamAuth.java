package dev.turnpike.provider.auth;

import dev.turnpike.provider.UpstreamRequest;
import io.vertx.core.Future;

/**
 * How a provider proves who we are: a static key in a header, a SigV4 signature over the final body, or an
 * OAuth2 access token that refreshes itself. Asynchronous because a token may have to be fetched first; a
 * static key completes at once. A failure is a {@link dev.turnpike.contract.Failure} (usually
 * {@code UPSTREAM_AUTH}), which lets the edge fail over to another target.
 */
public interface UpstreamAuth {
  /** Adds this provider's credentials to {@code request}'s headers. */
  Future<Void> authorize(UpstreamRequest request);

  /** The upstream answered {@code request} with 401: credentials that can be renewed should be. */
  default void rejected(UpstreamRequest request) {}

  /** For providers that need no credentials (a local server). */
  UpstreamAuth NONE = request -> Future.succeededFuture();
}
