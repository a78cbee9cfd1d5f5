package dev.turnpike.contract.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.buffer.Buffer;

/**
 * Turnpike's failures in OpenAI's error form, {@code {"error":{"message","type","param","code"}}}, with the status
 * OpenAI gives the same condition (the SDKs pick their exception class by status and retry 408, 409, 429 and 5xx):
 *
 * <pre>
 * FailureCode                                        status  type                   code
 * INVALID_REQUEST, UPSTREAM_INVALID_REQUEST          400     invalid_request_error  (the refusal's, or null)
 * REQUEST_TIMEOUT (the client's body was too slow)   408     invalid_request_error  null
 * REQUEST_TOO_LARGE                                  413     invalid_request_error  request_too_large
 * UNAUTHENTICATED                                    401     invalid_request_error  invalid_api_key
 * FORBIDDEN                                          403     invalid_request_error  permission_denied
 * NOT_FOUND, UPSTREAM_NOT_FOUND                      404     invalid_request_error  model_not_found
 * BUDGET_EXHAUSTED                                   429     insufficient_quota     insufficient_quota
 * RATE_LIMITED, UPSTREAM_RATE_LIMITED                429     requests               rate_limit_exceeded
 * INTERNAL, NOT_READY, OVERLOADED                    500/503 server_error           null
 * UPSTREAM_AUTH, UPSTREAM_ERROR, UPSTREAM_UNAVAILABLE,
 *   STREAM_ENDED_EARLY                               502     api_error              null
 * UPSTREAM_OVERLOADED                                503     api_error              null
 * UPSTREAM_TIMEOUT                                   504     api_error              null
 * CLIENT_CLOSED, CLIENT_STALLED                      499     api_error              null
 * </pre>
 *
 * A spent budget is OpenAI's {@code insufficient_quota} 429, which a client must not retry (the edge says so with
 * {@code x-should-retry: false}); Anthropic's 529 "overloaded" is a 503, which OpenAI's clients know. Turnpike's own
 * 5xx are {@code server_error}, an upstream's are {@code api_error}.
 */
public final class OpenAiErrors {
  /** How one failure reads in OpenAI's form. */
  public record Shape(int status, String type, String code) {}

  private static final String INVALID = "invalid_request_error";

  private OpenAiErrors() {}

  public static Shape of(FailureCode code) {
    return switch (code) {
      case INVALID_REQUEST, UPSTREAM_INVALID_REQUEST -> new Shape(400, INVALID, null);
      case REQUEST_TIMEOUT -> new Shape(408, INVALID, null);
      case REQUEST_TOO_LARGE -> new Shape(413, INVALID, "request_too_large");
      case UNAUTHENTICATED -> new Shape(401, INVALID, "invalid_api_key");
      case FORBIDDEN -> new Shape(403, INVALID, "permission_denied");
      case NOT_FOUND, UPSTREAM_NOT_FOUND -> new Shape(404, INVALID, "model_not_found");
      case BUDGET_EXHAUSTED -> new Shape(429, "insufficient_quota", "insufficient_quota");
      case RATE_LIMITED, UPSTREAM_RATE_LIMITED -> new Shape(429, "requests", "rate_limit_exceeded");
      case INTERNAL -> new Shape(500, "server_error", null);
      case NOT_READY, OVERLOADED -> new Shape(503, "server_error", null);
      case UPSTREAM_AUTH, UPSTREAM_ERROR, UPSTREAM_UNAVAILABLE, STREAM_ENDED_EARLY -> new Shape(502, "api_error", null);
      case UPSTREAM_OVERLOADED -> new Shape(503, "api_error", null);
      case UPSTREAM_TIMEOUT -> new Shape(504, "api_error", null);
      case CLIENT_CLOSED, CLIENT_STALLED -> new Shape(499, "api_error", null);
    };
  }

  /** The shape of an Anthropic {@code error.type}, for an error event inside an upstream's stream. */
  public static Shape ofAnthropicType(String anthropicType) {
    return switch (anthropicType == null ? "" : anthropicType) {
      case "invalid_request_error" -> of(FailureCode.UPSTREAM_INVALID_REQUEST);
      case "request_too_large" -> of(FailureCode.REQUEST_TOO_LARGE);
      case "not_found_error" -> of(FailureCode.UPSTREAM_NOT_FOUND);
      case "rate_limit_error" -> of(FailureCode.UPSTREAM_RATE_LIMITED);
      case "overloaded_error" -> of(FailureCode.UPSTREAM_OVERLOADED);
      default -> of(FailureCode.UPSTREAM_ERROR);
    };
  }

  /** {@code {"error":{"message":M,"type":T,"param":P,"code":C}}} */
  public static Buffer json(Shape shape, String message, String param) {
    return ChatJson.write(body(shape, message, param));
  }

  /** The error as the last event of a stream: {@code data: {"error":{...}}} (OpenAI's SDKs raise it). */
  public static Buffer streamChunk(Shape shape, String message) {
    return Buffer.buffer("data: ").appendBuffer(json(shape, message, null)).appendString("\n\n");
  }

  /**
   * The {@code error.message} of an Anthropic error body (an upstream's answer or the data of its {@code error}
   * event), or {@code fallback} when it has none.
   */
  public static String anthropicMessage(Buffer anthropicError, String fallback) {
    JsonNode message = anthropicError(anthropicError).path("message");
    return message.isTextual() && !message.textValue().isEmpty() ? message.textValue() : fallback;
  }

  /** The {@code error.type} of an Anthropic error body, or null. */
  public static String anthropicType(Buffer anthropicError) {
    JsonNode type = anthropicError(anthropicError).path("type");
    return type.isTextual() ? type.textValue() : null;
  }

  private static JsonNode anthropicError(Buffer body) {
    try {
      return ChatJson.UPSTREAM.parseObject(body, "error").path("error");
    } catch (ChatCompletionsException e) {
      return ChatJson.NODES.missingNode();
    }
  }

  private static ObjectNode body(Shape shape, String message, String param) {
    ObjectNode out = ChatJson.NODES.objectNode();
    ObjectNode error = out.putObject("error");
    error.put("message", message == null ? "" : message).put("type", shape.type());
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    if (shape.code() == null) {
      error.putNull("code");
    } else {
      error.put("code", shape.code());
    }
    return out;
  }
}
