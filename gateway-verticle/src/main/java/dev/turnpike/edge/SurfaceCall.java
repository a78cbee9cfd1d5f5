package dev.turnpike.edge;

import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestTypes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * What the surface a model request came in on decides about it (ARCHITECTURE.md §3): the operation, how its body
 * becomes a canonical Anthropic request, and the dialect its answer and errors are written in.
 */
record SurfaceCall(Operation operation, String requestType, ClientDialect dialect, Canonicaliser canonicaliser) {
  /** Turns the body as read into the canonical request; throws a {@code FailureException} (400) when it cannot. */
  @FunctionalInterface
  interface Canonicaliser {
    CanonicalRequest canonical(Buffer body, HttpServerRequest request);
  }

  /** A call on the Anthropic surface: sent in canonical form already. */
  static SurfaceCall anthropic(Operation operation) {
    return new SurfaceCall(operation, RequestTypes.of(operation), AnthropicClientDialect.INSTANCE,
        CanonicalRequest::asSent);
  }
}
