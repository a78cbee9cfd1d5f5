package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.UpstreamReply;
import dev.turnpike.contract.anthropic.AnthropicErrors;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a failure to a client that has not seen any bytes yet (ARCHITECTURE.md §4): a same-family upstream's own error
 * answer unchanged when the failure carries one, Turnpike's Anthropic error JSON otherwise. A failure's
 * {@code retryAfterSeconds} becomes a {@code retry-after} header, which Claude Code honours. Other surfaces' dialects
 * share {@link #clearForError}.
 */
final class ClientResponses {
  static final String REQUEST_ID = "x-turnpike-request-id";

  private ClientResponses() {}

  /** Ends {@code response} with {@code failure}; completes once written (at once when nothing could be). */
  static Future<Void> error(HttpServerResponse response, Failure failure) {
    if (!clearForError(response)) {
      return Future.succeededFuture();
    }
    UpstreamReply reply = failure.upstreamReply();
    if (reply != null) {
      reply.headers().forEach(response::putHeader);
      if (!reply.headers().containsKey("content-type")) {
        response.putHeader("content-type", "application/json");
      }
      return response.setStatusCode(reply.status()).end(reply.body());
    }
    if (failure.retryAfterSeconds() > 0) {
      response.putHeader("retry-after", Integer.toString(failure.retryAfterSeconds()));
    }
    failure.headers().forEach(response::putHeader);
    return response.setStatusCode(failure.code().httpStatus())
        .putHeader("content-type", "application/json")
        .end(AnthropicErrors.json(failure));
  }

  /**
   * Readies {@code response} for an error answer: drops what a failed attempt left in its headers, keeping only the
   * request id, the route and {@code connection}. False when nothing more can be written: the response already
   * ended, or its status line is gone (then the stream is reset, the only way left to tell the client).
   */
  static boolean clearForError(HttpServerResponse response) {
    if (response.ended() || response.closed()) {
      return false;
    }
    if (response.headWritten()) {
      response.reset();
      return false;
    }
    String requestId = response.headers().get(REQUEST_ID);
    String connection = response.headers().get("connection");
    String route = response.headers().get(ClientExchange.ROUTE_HEADER);
    response.headers().clear();
    if (route != null) {
      response.putHeader(ClientExchange.ROUTE_HEADER, route);
    }
    if (requestId != null) {
      response.putHeader(REQUEST_ID, requestId);
    }
    if (connection != null) {
      response.putHeader("connection", connection);
    }
    return true;
  }
}
