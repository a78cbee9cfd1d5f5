package dev.turnpike.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.anthropic.AnthropicStreamEvents;
import dev.turnpike.provider.openai.ToolNameMapper;
import io.vertx.core.buffer.Buffer;

/**
 * Gemini {@code streamGenerateContent?alt=sse} chunks (each a {@code GenerateContentResponse} holding the next
 * parts) to Anthropic SSE events, one instance per streamed answer (not thread-safe). Parts map as in
 * {@link GeminiResponseTranslator}.
 *
 * <p>Text and thought parts stream as deltas into one open block, a new block starting when the kind changes.
 * Gemini sends a function call whole, in one part, so each becomes a complete {@code tool_use} block at once
 * (start, one {@code input_json_delta}, stop). {@code usageMetadata} is cumulative; the last one seen counts.
 * Older models repeat {@code finishReason} on every chunk, so the answer is complete only when the upstream
 * ends the stream: the caller calls {@link #finish()} then, and only if {@link #sawFinish()}.
 */
public final class GeminiStreamTranslator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String clientModel;
  private final ToolNameMapper names;
  private final long estimatedInputTokens;

  private boolean started;
  private boolean finished;
  private String responseId;
  private int nextBlockIndex;
  /** "text", "thinking" or null: the block open for deltas. */
  private String openBlock;
  private int calls;
  private String finishReason;
  private String finishMessage;
  private String blockReason;
  private String blockMessage;
  private Usage usage;

  public GeminiStreamTranslator(String clientModel, ToolNameMapper names, long estimatedInputTokens) {
    this.clientModel = clientModel;
    this.names = names;
    this.estimatedInputTokens = estimatedInputTokens;
  }

  /** Anthropic SSE bytes for one parsed chunk; empty when it adds nothing visible. */
  public Buffer onChunk(JsonNode chunk) {
    Buffer out = Buffer.buffer();
    if (finished) {
      return out;
    }
    if (chunk.path("usageMetadata").isObject()) {
      usage = GeminiResponseTranslator.usageOf(chunk.path("usageMetadata"));
    }
    if (responseId == null && chunk.path("responseId").isTextual()) {
      responseId = chunk.path("responseId").asText();
    }
    start(out);
    JsonNode feedback = chunk.path("promptFeedback");
    if (feedback.path("blockReason").isTextual()) {
      blockReason = feedback.path("blockReason").asText();
      blockMessage = feedback.path("blockReasonMessage").asText(null);
    }
    JsonNode candidate = chunk.path("candidates").path(0);
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        toolUse(out, part);
      } else if (GeminiResponseTranslator.isText(part)) {
        delta(out, part.path("thought").asBoolean(false) ? "thinking" : "text", part.path("text").asText());
      }
    }
    if (candidate.path("finishReason").isTextual()) {
      finishReason = candidate.path("finishReason").asText();
      finishMessage = candidate.path("finishMessage").asText(null);
    }
    return out;
  }

  /**
   * Closes what is open, adds the note of an unusual stop, then {@code message_delta} (stop reason, usage) and
   * {@code message_stop}. Call once, when the upstream ended the stream cleanly; later calls return nothing.
   */
  public Buffer finish() {
    Buffer out = Buffer.buffer();
    if (finished) {
      return out;
    }
    start(out);
    closeBlock(out);
    String note = GeminiResponseTranslator.note(finishReason, finishMessage, blockReason, blockMessage);
    if (note != null) {
      delta(out, "text", note); // a block of its own, as in a whole answer
      closeBlock(out);
    }
    finished = true;
    AnthropicStreamEvents.messageEnd(out, GeminiResponseTranslator.stopReason(finishReason, blockReason, calls > 0),
        null, usage != null ? GeminiResponseTranslator.usageJson(usage) : NODES.objectNode().put("output_tokens", 0));
    return out;
  }

  /** Whether Gemini said the answer is complete: a finish reason, or a blocked prompt. */
  public boolean sawFinish() {
    return finishReason != null || blockReason != null;
  }

  /**
   * What to settle: the upstream's usage once it reported any, before that the input estimate the client saw
   * in {@code message_start} (a prompt is billed even when the stream is cut short).
   */
  public Usage usageSoFar() {
    if (usage != null) {
      return usage;
    }
    return started ? new Usage(estimatedInputTokens, 0, 0, 0) : Usage.NONE;
  }

  // ---- events ----

  private void start(Buffer out) {
    if (started) {
      return;
    }
    started = true;
    Usage initial = usage != null ? usage : new Usage(estimatedInputTokens, 0, 0, 0);
    AnthropicStreamEvents.messageStart(out, GeminiResponseTranslator.messageId(responseId), clientModel,
        GeminiResponseTranslator.usageJson(new Usage(initial.inputTokens(), 1, initial.cacheReadTokens(),
            initial.cacheCreationTokens())));
  }

  private void delta(Buffer out, String kind, String text) {
    if (!kind.equals(openBlock)) {
      closeBlock(out);
      AnthropicStreamEvents.blockStart(out, nextBlockIndex,
          "thinking".equals(kind) ? AnthropicStreamEvents.thinkingBlock() : AnthropicStreamEvents.textBlock());
      openBlock = kind;
    }
    AnthropicStreamEvents.delta(out, nextBlockIndex, kind + "_delta", kind, text);
  }

  private void toolUse(Buffer out, JsonNode part) {
    closeBlock(out);
    JsonNode call = part.path("functionCall");
    AnthropicStreamEvents.blockStart(out, nextBlockIndex, AnthropicStreamEvents.toolUseBlock(
        GeminiResponseTranslator.toolUseId(part, responseId, calls++), names.toAnthropic(call.path("name").asText())));
    JsonNode args = call.path("args").isObject() ? call.path("args") : NODES.objectNode();
    AnthropicStreamEvents.inputJsonDelta(out, nextBlockIndex, args.toString());
    AnthropicStreamEvents.blockStop(out, nextBlockIndex);
    nextBlockIndex++;
  }

  private void closeBlock(Buffer out) {
    if (openBlock != null) {
      AnthropicStreamEvents.blockStop(out, nextBlockIndex);
      openBlock = null;
      nextBlockIndex++;
    }
  }
}
