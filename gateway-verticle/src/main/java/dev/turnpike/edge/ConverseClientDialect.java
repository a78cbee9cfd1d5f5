package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.converse.ConverseEvent;
import dev.turnpike.contract.converse.ConverseException;
import dev.turnpike.contract.converse.ConverseResponseTranslator;
import dev.turnpike.contract.converse.ConverseStreamTranslator;
import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import dev.turnpike.contract.eventstream.EventStreamEncoder;
import dev.turnpike.contract.eventstream.EventStreamMessage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bedrock's Converse form, for {@code /converse} and {@code /converse-stream}: the Anthropic answer translated by the
 * contract's Converse translators. ConverseStream answers in {@code application/vnd.amazon.eventstream}, one message
 * per Converse event ({@code messageStart}, {@code contentBlockDelta}, ..., {@code metadata}); Converse holds the
 * Anthropic message whole (within {@code server.max_answer_bytes}) and answers its translation. Errors are Bedrock's
 * ({@link BedrockErrors}). {@code metrics.latencyMs} is the time since the request arrived.
 */
final class ConverseClientDialect implements ClientDialect {
  private final boolean stream;
  private final long maxAnswerBytes;
  private final long startedNanos = System.nanoTime();
  private ConverseStreamTranslator translator;
  private Buffer answer;

  ConverseClientDialect(boolean stream, long maxAnswerBytes) {
    this.stream = stream;
    this.maxAnswerBytes = maxAnswerBytes;
    attemptStarted();
  }

  @Override
  public void attemptStarted() {
    translator = new ConverseStreamTranslator(this::latencyMs);
    answer = null;
  }

  @Override
  public void head(MultiMap headers, boolean eventStream) {
    BedrockClientDialect.copyRequestId(headers);
    headers.set("content-type", stream ? BedrockClientDialect.EVENT_STREAM : "application/json");
  }

  @Override
  public Buffer data(Buffer bytes, boolean eventStream) {
    if (!eventStream) {
      hold(bytes);
      return Buffer.buffer();
    }
    Buffer out = Buffer.buffer(bytes.length() + 256);
    try {
      for (SseEvents.Event event : SseEvents.split(bytes)) {
        for (ConverseEvent converse : translator.onAnthropicEvent(event.name(), event.data())) {
          out.appendBuffer(frame(converse));
        }
      }
    } catch (ConverseException e) {
      throw new Failure.FailureException(Failure.of(e.code(), e.getMessage()));
    }
    return out;
  }

  @Override
  public Buffer end() {
    if (stream) {
      return null;
    }
    if (answer == null) {
      throw new Failure.FailureException(Failure.of(FailureCode.UPSTREAM_ERROR,
          "The provider's answer was empty"));
    }
    try {
      return ConverseResponseTranslator.fromAnthropic(answer, latencyMs());
    } catch (ConverseException e) {
      throw new Failure.FailureException(Failure.of(e.code(), e.getMessage()));
    }
  }

  @Override
  public Buffer streamError(Failure cause) {
    return frame(ConverseEvent.exception(BedrockErrors.streamType(cause.code()), cause.message()));
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
    if (answer == null) {
      answer = Buffer.buffer(Math.max(256, bytes.length()));
    }
    if (answer.length() + (long) bytes.length() > maxAnswerBytes) {
      throw new Failure.FailureException(Failure.of(FailureCode.UPSTREAM_ERROR,
          "The provider's answer is larger than " + maxAnswerBytes + " bytes (server.max_answer_bytes)"));
    }
    answer.appendBuffer(bytes);
  }

  private long latencyMs() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** One event-stream message: an event under its {@code :event-type}, or an exception under its type. */
  private static Buffer frame(ConverseEvent event) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (event.isException()) {
      headers.put(BedrockStreamEvents.EXCEPTION_TYPE, event.eventType());
      headers.put(BedrockStreamEvents.CONTENT_TYPE, "application/json");
      headers.put(BedrockStreamEvents.MESSAGE_TYPE, "exception");
    } else {
      headers.put(BedrockStreamEvents.EVENT_TYPE, event.eventType());
      headers.put(BedrockStreamEvents.CONTENT_TYPE, "application/json");
      headers.put(BedrockStreamEvents.MESSAGE_TYPE, "event");
    }
    return EventStreamEncoder.encode(new EventStreamMessage(headers, event.payload()));
  }
}
