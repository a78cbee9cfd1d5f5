package dev.turnpike.edge;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A model request as the router, governance, logs and every provider see it, whatever surface it came in on: an
 * Anthropic Messages body, the headers to forward from, and the query for the provider (null: none).
 */
record CanonicalRequest(Buffer body, MultiMap headers, String query) {
  /** The Anthropic surface's requests are canonical as sent. */
  static CanonicalRequest asSent(Buffer body, HttpServerRequest request) {
    return new CanonicalRequest(body, request.headers(), request.query());
  }
}
