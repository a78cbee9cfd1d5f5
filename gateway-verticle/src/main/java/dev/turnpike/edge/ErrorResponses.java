package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.anthropic.AnthropicErrors;
import io.vertx.core.http.HttpServerResponse;

/** Writes a failure to a client that has not seen any bytes yet, in Anthropic's error JSON. */
final class ErrorResponses {
  private ErrorResponses() {}

  /** A failure's {@code retryAfterSeconds} becomes a {@code retry-after} header, which Claude Code honours. */
  static void send(HttpServerResponse response, Failure failure) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset(); // the status line is gone; only closing the stream can tell the client
      return;
    }
    response.headers().clear();
    if (failure.retryAfterSeconds() > 0) {
      response.putHeader("retry-after", Integer.toString(failure.retryAfterSeconds()));
    }
    response.setStatusCode(failure.code().httpStatus())
        .putHeader("content-type", "application/json")
        .end(AnthropicErrors.json(failure));
  }
}
