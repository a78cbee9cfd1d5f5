package dev.turnpike.app.fakes;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a fake upstream answers, independent of the dialect: each fake renders it in its own wire format (OpenAI
 * chunks or Anthropic events), so one test script can drive either fake.
 *
 * <p>A reply is a model message (content blocks), an HTTP error in the dialect's error JSON, or raw bytes for
 * anything the renderers do not cover. {@link #withFaults} overrides the fake's default wire faults for this
 * one reply, so a script can, say, stall the first attempt and answer the retry normally.
 */
public final class Reply {

  /** One piece of the assistant's answer, rendered in order. */
  public sealed interface Block permits Text, ToolCall, Thinking, StreamError {}

  public record Text(String text) implements Block {}

  /** A tool call; {@code id} is what the client must quote back in its tool result. */
  public record ToolCall(String id, String name, JsonObject arguments) implements Block {}

  /** Anthropic extended thinking; the OpenAI fake drops it (Chat Completions does not expose reasoning). */
  public record Thinking(String thinking, String signature) implements Block {}

  /**
   * An error the upstream reports inside an already-started stream (Anthropic {@code event: error}, OpenAI a
   * {@code data: {"error":...}} chunk); the stream ends right after it.
   */
  public record StreamError(String type, String message) implements Block {}

  public enum Kind { MESSAGE, ERROR, RAW }

  final Kind kind;
  final List<Block> blocks;
  final Integer inputTokens;
  final Integer outputTokens;
  final int status;
  final String errorType;
  final String errorMessage;
  final Integer retryAfterSeconds;
  final String contentType;
  final Buffer rawBody;
  final Faults faults;
  final Map<String, String> extraHeaders;

  private Reply(Kind kind, List<Block> blocks, Integer inputTokens, Integer outputTokens, int status,
                String errorType, String errorMessage, Integer retryAfterSeconds, String contentType,
                Buffer rawBody, Faults faults) {
    this(kind, blocks, inputTokens, outputTokens, status, errorType, errorMessage, retryAfterSeconds, contentType,
        rawBody, faults, Map.of());
  }

  private Reply(Kind kind, List<Block> blocks, Integer inputTokens, Integer outputTokens, int status,
                String errorType, String errorMessage, Integer retryAfterSeconds, String contentType,
                Buffer rawBody, Faults faults, Map<String, String> extraHeaders) {
    this.extraHeaders = Map.copyOf(extraHeaders);
    this.kind = kind;
    this.blocks = blocks;
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.status = status;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
    this.retryAfterSeconds = retryAfterSeconds;
    this.contentType = contentType;
    this.rawBody = rawBody;
    this.faults = faults;
  }

  public static Reply message(Block... blocks) {
    return new Reply(Kind.MESSAGE, List.of(blocks), null, null, 200, null, null, null, null, null, null);
  }

  public static Reply text(String text) {
    return message(new Text(text));
  }

  public static Reply toolCall(String id, String name, JsonObject arguments) {
    return message(new ToolCall(id, name, arguments));
  }

  /**
   * An HTTP error in the dialect's JSON. {@code type} is the dialect's error type (Anthropic:
   * {@code overloaded_error}, {@code rate_limit_error}, ...; OpenAI: {@code server_error},
   * {@code invalid_request_error}, ...).
   */
  public static Reply error(int status, String type, String message) {
    return new Reply(Kind.ERROR, List.of(), null, null, status, type, message, null, null, null, null);
  }

  /** 429 with a {@code retry-after} header; the error type is filled in per dialect. */
  public static Reply rateLimited(int retryAfterSeconds) {
    return new Reply(Kind.ERROR, List.of(), null, null, 429, null, "Rate limit exceeded (fake upstream)",
        retryAfterSeconds, null, null, null);
  }

  public static Reply raw(int status, String contentType, Buffer body) {
    return new Reply(Kind.RAW, List.of(), null, null, status, null, null, null, contentType, body, null);
  }

  public static Reply raw(int status, String contentType, String body) {
    return raw(status, contentType, Buffer.buffer(body));
  }

  /** Usage to report; without it the fakes estimate (request bytes / 4, output characters / 4). */
  public Reply withUsage(int inputTokens, int outputTokens) {
    return new Reply(kind, blocks, inputTokens, outputTokens, status, errorType, errorMessage, retryAfterSeconds,
        contentType, rawBody, faults, extraHeaders);
  }

  public Reply withFaults(Faults faults) {
    return new Reply(kind, blocks, inputTokens, outputTokens, status, errorType, errorMessage, retryAfterSeconds,
        contentType, rawBody, Objects.requireNonNull(faults), extraHeaders);
  }

  /** Headers to add to the response, e.g. the rate-limit headers a real upstream sends with a 429. */
  public Reply withHeaders(Map<String, String> headers) {
    return new Reply(kind, blocks, inputTokens, outputTokens, status, errorType, errorMessage, retryAfterSeconds,
        contentType, rawBody, faults, headers);
  }

  public Kind kind() {
    return kind;
  }

  public List<Block> blocks() {
    return blocks;
  }

  public boolean hasToolCall() {
    return blocks.stream().anyMatch(b -> b instanceof ToolCall);
  }

  int estimatedOutputTokens() {
    if (outputTokens != null) {
      return outputTokens;
    }
    int chars = 0;
    for (Block b : blocks) {
      if (b instanceof Text t) {
        chars += t.text().length();
      } else if (b instanceof ToolCall c) {
        chars += c.name().length() + c.arguments().encode().length();
      } else if (b instanceof Thinking th) {
        chars += th.thinking().length();
      }
    }
    return Math.max(1, chars / 4);
  }

  int estimatedInputTokens(RecordedRequest request) {
    return inputTokens != null ? inputTokens : Math.max(1, request.body().length() / 4);
  }
}
