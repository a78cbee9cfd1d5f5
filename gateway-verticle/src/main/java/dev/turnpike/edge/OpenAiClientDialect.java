package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.UpstreamReply;
import dev.turnpike.contract.openai.ChatAnswerOptions;
import dev.turnpike.contract.openai.ChatCompletionMeta;
import dev.turnpike.contract.openai.ChatCompletionsException;
import dev.turnpike.contract.openai.ChatCompletionsResponseTranslator;
import dev.turnpike.contract.openai.ChatCompletionsStreamTranslator;
import dev.turnpike.contract.openai.OpenAiErrors;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.Set;

/**
 * OpenAI's Chat Completions form, for {@code /v1/chat/completions}: the Anthropic answer translated by the contract's
 * translators. A stream is {@code chat.completion.chunk} events ({@code data:} lines only) ending in
 * {@code data: [DONE]}, or in a {@code data: {"error": ...}} event when it is cut short; a whole answer is held
 * (within {@code server.max_answer_bytes}) and answered as one {@code chat.completion}. Errors are OpenAI's JSON
 * ({@link OpenAiErrors} has the table); an upstream's own error keeps its message and the headers a client's retry
 * logic reads. Every answer names Turnpike's request id in {@code x-request-id}, where OpenAI's SDKs look for one.
 */
final class OpenAiClientDialect implements ClientDialect {
  static final String REQUEST_ID = "x-request-id";
  private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
  /** What an upstream's error answer may pass on: what a client's retry logic reads. */
  private static final Set<String> UPSTREAM_ERROR_HEADERS = Set.of("retry-after", "retry-after-ms", "x-should-retry");

  private final long maxAnswerBytes;
  private ChatCompletionMeta meta;
  private ChatAnswerOptions options;
  private ChatCompletionsException refusal;
  private ChatCompletionsStreamTranslator translator;
  private Buffer answer;

  OpenAiClientDialect(long maxAnswerBytes) {
    this.maxAnswerBytes = maxAnswerBytes;
  }

  /** Writes {@code failure} in OpenAI's form for a request on this surface that is no model request (a 404). */
  static Future<Void> errorOutsideModelRequest(HttpServerResponse response, Failure failure) {
    return new OpenAiClientDialect(0).error(response, failure);
  }

  /** The request as translated: what the answer must say of itself and how it is shaped. */
  void translated(ChatCompletionMeta meta, ChatAnswerOptions options) {
    this.meta = meta;
    this.options = options;
  }

  /**
   * The client's body could not be translated: {@code refusal}'s field and OpenAI code go into the error's
   * {@code param} and {@code code}.
   */
  Failure.FailureException refused(ChatCompletionsException refusal) {
    this.refusal = refusal;
    return new Failure.FailureException(refusal.failure());
  }

  @Override
  public void attemptStarted() {
    translator = new ChatCompletionsStreamTranslator(meta, options);
    answer = null;
  }

  @Override
  public void head(MultiMap headers, boolean eventStream) {
    copyRequestId(headers);
    headers.set("content-type", eventStream ? EVENT_STREAM : "application/json");
  }

  @Override
  public Buffer data(Buffer bytes, boolean eventStream) {
    if (!eventStream) {
      hold(bytes);
      return Buffer.buffer();
    }
    Buffer out = Buffer.buffer(bytes.length() + 128);
    try {
      for (SseEvents.Event event : SseEvents.split(bytes)) {
        out.appendBuffer(translator.onAnthropicEvent(event.name(), event.data()));
      }
    } catch (ChatCompletionsException e) {
      throw new Failure.FailureException(e.failure());
    }
    return out;
  }

  @Override
  public Buffer end() {
    if (answer == null) {
      if (translator.finished()) {
        return null;
      }
      throw new Failure.FailureException(Failure.of(FailureCode.UPSTREAM_ERROR,
          "The provider's answer ended before it was complete"));
    }
    try {
      return ChatCompletionsResponseTranslator.fromAnthropic(answer, meta, options);
    } catch (ChatCompletionsException e) {
      throw new Failure.FailureException(e.failure());
    }
  }

  @Override
  public Buffer streamError(Failure cause) {
    return OpenAiErrors.streamChunk(OpenAiErrors.of(cause.code()), cause.message());
  }

  @Override
  public int errorStatus(Failure failure) {
    UpstreamReply reply = failure.upstreamReply();
    if (reply != null && reply.status() != 529) {
      return reply.status(); // 529 is Anthropic's "overloaded", which the code's shape says as 503
    }
    return OpenAiErrors.of(failure.code()).status();
  }

  @Override
  public Future<Void> error(HttpServerResponse response, Failure failure) {
    if (!ClientResponses.clearForError(response)) {
      return Future.succeededFuture();
    }
    String message = failure.message();
    UpstreamReply reply = failure.upstreamReply();
    if (reply != null) {
      message = OpenAiErrors.anthropicMessage(reply.body(), message);
      reply.headers().forEach((name, value) -> {
        if (UPSTREAM_ERROR_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
          response.putHeader(name, value);
        }
      });
    }
    if (failure.retryAfterSeconds() > 0 && !response.headers().contains("retry-after")) {
      response.putHeader("retry-after", Integer.toString(failure.retryAfterSeconds()));
    }
    failure.headers().forEach(response::putHeader);
    if (failure.code() == FailureCode.BUDGET_EXHAUSTED) {
      response.putHeader("x-should-retry", "false"); // a 429 the SDKs would otherwise retry: a spent budget stays
    }
    copyRequestId(response.headers());
    OpenAiErrors.Shape shape = OpenAiErrors.of(failure.code());
    String param = null;
    String code = shape.code();
    if (refusal != null && failure.code() == FailureCode.INVALID_REQUEST
        && refusal.getMessage().equals(failure.message())) {
      param = refusal.param();
      code = refusal.openAiCode();
    }
    return response.setStatusCode(errorStatus(failure))
        .putHeader("content-type", "application/json")
        .end(OpenAiErrors.json(new OpenAiErrors.Shape(shape.status(), shape.type(), code), message, param));
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

  static void copyRequestId(MultiMap headers) {
    String requestId = headers.get(ClientResponses.REQUEST_ID);
    if (requestId != null) {
      headers.set(REQUEST_ID, requestId);
    }
  }
}
