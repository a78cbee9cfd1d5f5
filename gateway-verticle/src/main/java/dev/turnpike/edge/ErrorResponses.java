package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.anthropic.AnthropicErrors;
import io.vertx.core.http.HttpServerResponse;

/** Writes a failure to a client that has not seen any bytes yet, in Anthropic's error JSON. */
final class ErrorResponses {
  private ErrorResponses() {}

  static void send(HttpServerResponse response, Failure failure) {
    send(response, failure, 0);
  }

  /** With {@code retryAfterSeconds > 0}, also a {@code retry-after} header, which Claude Code honours. */
  static void send(HttpServerResponse response, Failure failure, int retryAfterSeconds) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset(); // the status line is gone; only closing the stream can tell the client
      return;
    }
    response.headers().clear();
    if (retryAfterSeconds > 0) {
      response.putHeader("retry-after", Integer.toString(retryAfterSeconds));
    }
    response.setStatusCode(failure.code().httpStatus())
        .putHeader("content-type", "application/json")
        .end(AnthropicErrors.json(failure));
  }
}
