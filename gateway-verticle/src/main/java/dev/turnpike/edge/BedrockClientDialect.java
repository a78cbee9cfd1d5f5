package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Bedrock Runtime's form. InvokeModel answers with the Anthropic message JSON as it is (that is what Bedrock returns);
 * InvokeModelWithResponseStream answers in {@code application/vnd.amazon.eventstream}, each Anthropic SSE event's JSON
 * in one {@code chunk} message, and an Anthropic {@code error} event, or a stream cut short, as an {@code exception}
 * message ({@code ping} keep-alives are left out: Bedrock's streams carry none, as in the capture
 * {@code fixtures/claude-code/cc2.1.332-bedrock_eventstream.bin} that Claude Code accepted); CountTokens answers {@code {"inputTokens": N}}. Errors before the first byte carry the exception's name in
 * {@code x-amzn-errortype} and {@code {"message": ...}} ({@link BedrockErrors} has the table); an upstream's own
 * Anthropic error keeps its message. Every answer names Turnpike's request id in {@code x-amzn-requestid}, where the
 * AWS SDKs look for one.
 */
final class BedrockClientDialect implements ClientDialect {
  enum Mode { INVOKE, INVOKE_STREAM, COUNT_TOKENS }

  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  static final String ERROR_TYPE = "x-amzn-errortype";
  static final String REQUEST_ID = "x-amzn-requestid";
  /** An Anthropic count_tokens answer is a few dozen bytes; it is held whole to be rewritten. */
  static final int MAX_COUNT_ANSWER_BYTES = 64 * 1024;

  private final Mode mode;
  private Buffer countAnswer;

  BedrockClientDialect(Mode mode) {
    this.mode = mode;
  }

  @Override
  public void attemptStarted() {
    countAnswer = null;
  }

  @Override
  public void head(MultiMap headers, boolean eventStream) {
    copyRequestId(headers);
    if (mode == Mode.COUNT_TOKENS) {
      headers.set("content-type", "application/json");
    } else if (eventStream) {
      headers.set("content-type", EVENT_STREAM);
    }
  }

  @Override
  public Buffer data(Buffer bytes, boolean eventStream) {
    if (mode == Mode.COUNT_TOKENS) {
      hold(bytes);
      return Buffer.buffer();
    }
    if (!eventStream) {
      return bytes;
    }
    Buffer out = Buffer.buffer(bytes.length() * 4 / 3 + 256);
    for (SseEvents.Event event : SseEvents.split(bytes)) {
      switch (event.name()) {
        case "ping" -> { }
        case "error" -> out.appendBuffer(upstreamStreamError(event.data()));
        default -> out.appendBuffer(BedrockStreamEvents.chunk(event.data()));
      }
    }
    return out;
  }

  @Override
  public Buffer end() {
    if (mode != Mode.COUNT_TOKENS) {
      return null;
    }
    Object tokens;
    try {
      tokens = countAnswer == null ? null : new JsonObject(countAnswer).getValue("input_tokens");
    } catch (DecodeException | ClassCastException e) {
      tokens = null;
    }
    if (!(tokens instanceof Number count)) {
      throw upstreamError("The provider's count_tokens answer has no input_tokens");
    }
    return Buffer.buffer("{\"inputTokens\":" + count.longValue() + "}");
  }

  @Override
  public Buffer streamError(Failure cause) {
    return BedrockStreamEvents.exception(BedrockErrors.streamType(cause.code()), cause.message());
  }

  @Override
  public int errorStatus(Failure failure) {
    return BedrockErrors.of(failure.code()).status();
  }

  @Override
  public Future<Void> error(HttpServerResponse response, Failure failure) {
    return BedrockErrors.write(response, failure);
  }

  private void hold(Buffer bytes) {
    if (countAnswer == null) {
      countAnswer = Buffer.buffer(64);
    }
    if (countAnswer.length() + bytes.length() > MAX_COUNT_ANSWER_BYTES) {
      throw upstreamError("The provider's count_tokens answer is over " + MAX_COUNT_ANSWER_BYTES + " bytes");
    }
    countAnswer.appendBuffer(bytes);
  }

  private static Failure.FailureException upstreamError(String message) {
    return new Failure.FailureException(Failure.of(FailureCode.UPSTREAM_ERROR, message));
  }

  /** An Anthropic {@code error} event from the upstream, as the exception Bedrock would have sent. */
  private static Buffer upstreamStreamError(Buffer data) {
    String type = null;
    String message = "The model's stream reported an error";
    try {
      JsonObject error = new JsonObject(data).getJsonObject("error");
      if (error != null) {
        type = error.getValue("type") instanceof String t ? t : null;
        message = error.getValue("message") instanceof String m ? m : message;
      }
    } catch (DecodeException | ClassCastException e) {
      // An event that is not Anthropic's error JSON still ends the stream as an error.
    }
    return BedrockStreamEvents.exception(BedrockErrors.streamType(type), message);
  }

  static void copyRequestId(MultiMap headers) {
    String requestId = headers.get(ClientResponses.REQUEST_ID);
    if (requestId != null) {
      headers.set(REQUEST_ID, requestId);
    }
  }
}
