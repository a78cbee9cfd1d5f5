package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.UpstreamReply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Turnpike's failures as Bedrock Runtime's exceptions (ARCHITECTURE.md §4). Before the first byte the name goes in
 * {@code x-amzn-errortype}, which the AWS SDKs read, and the status is the one Bedrock gives that exception, which
 * the Anthropic Bedrock SDK (Claude Code's) reads:
 *
 * <pre>
 * FailureCode                                                 exception                       status
 * INVALID_REQUEST, UPSTREAM_INVALID_REQUEST, REQUEST_TOO_LARGE,
 *   REQUEST_TIMEOUT (the client's body came too slowly)       ValidationException             400
 * BUDGET_EXHAUSTED                                            ServiceQuotaExceededException   400
 * UNAUTHENTICATED, FORBIDDEN                                  AccessDeniedException           403
 * NOT_FOUND, UPSTREAM_NOT_FOUND                               ResourceNotFoundException       404
 * UPSTREAM_TIMEOUT                                            ModelTimeoutException           408
 * RATE_LIMITED, UPSTREAM_RATE_LIMITED                         ThrottlingException             429
 * NOT_READY (the node is starting)                            ModelNotReadyException          429
 * UPSTREAM_AUTH, UPSTREAM_ERROR, STREAM_ENDED_EARLY           ModelErrorException             424
 * OVERLOADED, UPSTREAM_OVERLOADED, UPSTREAM_UNAVAILABLE       ServiceUnavailableException     503
 * INTERNAL, CLIENT_CLOSED, CLIENT_STALLED                     InternalServerException         500
 * </pre>
 *
 * A refused provider key is a {@code ModelErrorException}, not an {@code AccessDeniedException}: the developer's
 * own credential is fine, and saying otherwise would send them to fix it. Inside a stream, an exception message
 * names a member of InvokeModelWithResponseStream's {@code ResponseStream} union ({@link #streamType}).
 */
final class BedrockErrors {
  /** An exception's name and HTTP status. */
  record Shape(String name, int status) {}

  private BedrockErrors() {}

  /**
   * Ends {@code response} with {@code failure} in Bedrock's form: an upstream's Anthropic error keeps its message
   * and the headers a client's retry logic reads ({@code retry-after}, {@code x-should-retry}).
   */
  static Future<Void> write(HttpServerResponse response, Failure failure) {
    if (!ClientResponses.clearForError(response)) {
      return Future.succeededFuture();
    }
    Shape shape = of(failure.code());
    String message = failure.message();
    UpstreamReply reply = failure.upstreamReply();
    if (reply != null) {
      message = anthropicErrorMessage(reply.body(), message);
      reply.headers().forEach((name, value) -> {
        if (!name.equals("content-type")) {
          response.putHeader(name, value);
        }
      });
    }
    if (failure.retryAfterSeconds() > 0 && !response.headers().contains("retry-after")) {
      response.putHeader("retry-after", Integer.toString(failure.retryAfterSeconds()));
    }
    failure.headers().forEach(response::putHeader);
    BedrockClientDialect.copyRequestId(response.headers());
    return response.setStatusCode(shape.status())
        .putHeader(BedrockClientDialect.ERROR_TYPE, shape.name())
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("message", message == null ? "" : message).toBuffer());
  }

  static Shape of(FailureCode code) {
    return switch (code) {
      case INVALID_REQUEST, UPSTREAM_INVALID_REQUEST, REQUEST_TOO_LARGE, REQUEST_TIMEOUT ->
          new Shape("ValidationException", 400);
      case BUDGET_EXHAUSTED -> new Shape("ServiceQuotaExceededException", 400);
      case UNAUTHENTICATED, FORBIDDEN -> new Shape("AccessDeniedException", 403);
      case NOT_FOUND, UPSTREAM_NOT_FOUND -> new Shape("ResourceNotFoundException", 404);
      case UPSTREAM_TIMEOUT -> new Shape("ModelTimeoutException", 408);
      case RATE_LIMITED, UPSTREAM_RATE_LIMITED -> new Shape("ThrottlingException", 429);
      case NOT_READY -> new Shape("ModelNotReadyException", 429);
      case UPSTREAM_AUTH, UPSTREAM_ERROR, STREAM_ENDED_EARLY -> new Shape("ModelErrorException", 424);
      case OVERLOADED, UPSTREAM_OVERLOADED, UPSTREAM_UNAVAILABLE -> new Shape("ServiceUnavailableException", 503);
      case INTERNAL, CLIENT_CLOSED, CLIENT_STALLED -> new Shape("InternalServerException", 500);
    };
  }

  /** The in-stream exception for a failure that cut a stream short. */
  static String streamType(FailureCode code) {
    return switch (code) {
      case RATE_LIMITED, UPSTREAM_RATE_LIMITED -> "throttlingException";
      case UPSTREAM_TIMEOUT -> "modelTimeoutException";
      case OVERLOADED, UPSTREAM_OVERLOADED, UPSTREAM_UNAVAILABLE, NOT_READY -> "serviceUnavailableException";
      case INVALID_REQUEST, UPSTREAM_INVALID_REQUEST, REQUEST_TOO_LARGE -> "validationException";
      case INTERNAL -> "internalServerException";
      default -> "modelStreamErrorException";
    };
  }

  /** The {@code error.message} of an Anthropic error body, or {@code fallback} when it has none. */
  private static String anthropicErrorMessage(Buffer body, String fallback) {
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      return error != null && error.getValue("message") instanceof String m ? m : fallback;
    } catch (DecodeException | ClassCastException e) {
      return fallback;
    }
  }

  /** The in-stream exception for an Anthropic {@code error} event's {@code error.type}. */
  static String streamType(String anthropicErrorType) {
    return switch (anthropicErrorType == null ? "" : anthropicErrorType) {
      case "overloaded_error" -> "serviceUnavailableException";
      case "rate_limit_error" -> "throttlingException";
      case "invalid_request_error", "request_too_large" -> "validationException";
      case "api_error" -> "internalServerException";
      default -> "modelStreamErrorException";
    };
  }
}
