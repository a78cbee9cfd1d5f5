package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads one request body within the node's limits: at most {@code server.max_body_bytes} (413 past it, before
 * reading when the declared length says so), within {@code server.body_timeout_ms} (408), and only while the
 * node's {@link BodyBudget} has room (529, so the client retries elsewhere or later). The bytes stay reserved
 * until {@link #release()}, which the request's ending calls.
 */
final class BodyReader {
  private final Vertx vertx;
  private final HttpServerRequest request;
  private final ServerConfig limits;
  private final BodyBudget budget;
  private final Promise<Buffer> body = Promise.promise();
  private long reserved;
  private long timer = -1;

  BodyReader(Vertx vertx, HttpServerRequest request, ServerConfig limits, BodyBudget budget) {
    this.vertx = vertx;
    this.request = request;
    this.limits = limits;
    this.budget = budget;
  }

  /** Starts reading the (paused) request; the future fails with the failure to answer. */
  Future<Buffer> read() {
    long declared = declaredLength();
    if (declared > limits.maxBodyBytes()) {
      return Future.failedFuture(tooLarge().asException());
    }
    Buffer buffer;
    if (declared > 0) {
      if (!reserve(declared)) {
        return Future.failedFuture(overloaded().asException());
      }
      buffer = Buffer.buffer((int) declared);
    } else {
      buffer = Buffer.buffer();
    }
    timer = vertx.setTimer(Math.max(1, limits.bodyTimeoutMs()), id -> fail(Failure.of(FailureCode.REQUEST_TIMEOUT,
        "Request body not received within " + limits.bodyTimeoutMs() + " ms")));
    request.handler(chunk -> {
      if (body.future().isComplete()) {
        return;
      }
      long length = (long) buffer.length() + chunk.length();
      if (length > limits.maxBodyBytes()) {
        fail(tooLarge());
      } else if (length > reserved && !reserve(length - reserved)) {
        fail(overloaded());
      } else {
        buffer.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> {
      cancelTimer();
      body.tryComplete(buffer);
    });
    request.exceptionHandler(e -> fail(Failure.of(FailureCode.CLIENT_CLOSED, "Client went away while sending")));
    request.resume();
    return body.future();
  }

  /** Gives the body's bytes back to the node's budget; idempotent. */
  void release() {
    if (reserved > 0) {
      budget.release(reserved);
      reserved = 0;
    }
  }

  private boolean reserve(long bytes) {
    if (!budget.tryReserve(bytes)) {
      return false;
    }
    reserved += bytes;
    return true;
  }

  private void fail(Failure failure) {
    cancelTimer();
    if (body.tryFail(failure.asException())) {
      release();
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private long declaredLength() {
    String value = request.getHeader("content-length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1; // the HTTP decoder refuses a malformed length before we get here
    }
  }

  private Failure tooLarge() {
    return Failure.of(FailureCode.REQUEST_TOO_LARGE,
        "Request body exceeds the limit of " + limits.maxBodyBytes() + " bytes (server.max_body_bytes)");
  }

  private Failure overloaded() {
    return Failure.of(FailureCode.OVERLOADED, "Turnpike node holds as many request bytes as it may "
        + "(server.max_body_bytes_in_flight); retry shortly").withRetryAfter(1);
  }
}
