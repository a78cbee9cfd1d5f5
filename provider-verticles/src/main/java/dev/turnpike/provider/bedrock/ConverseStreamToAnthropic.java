package dev.turnpike.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.anthropic.AnthropicStreamEvents;
import dev.turnpike.provider.openai.ToolNameMapper;
import io.vertx.core.buffer.Buffer;

/**
 * ConverseStream events to Anthropic SSE events, one instance per streamed answer (not thread-safe).
 *
 * <p>It keeps the open block's Converse index and kind, the stop reason and the usage, never the streamed text or
 * tool input, so its memory does not grow with the answer.
 * <ul>
 *   <li>{@code messageStart} gives {@code message_start} with the input estimate (Converse reports usage only in
 *   its last event).</li>
 *   <li>A {@code toolUse} block starts with {@code contentBlockStart}; text and reasoning blocks start with their
 *   first delta. A delta for another index than the open block's closes the open one, so Anthropic's blocks stay
 *   sequential; a delta for an index already closed is a broken stream ({@link ConverseStreamException}).</li>
 *   <li>{@code text}, {@code toolUse.input}, {@code reasoningContent.text} and {@code .signature} deltas give
 *   {@code text_delta}, {@code input_json_delta}, {@code thinking_delta} and {@code signature_delta};
 *   {@code redactedContent} gives a whole {@code redacted_thinking} block. Citation, image and tool-result deltas
 *   are dropped, as in {@link ConverseToAnthropic}.</li>
 *   <li>{@code messageStop} records the stop reason; {@code metadata}, which follows it, gives
 *   {@code message_delta} with the usage and then {@code message_stop}. A stream that ends after
 *   {@code messageStop} without {@code metadata} is finished by {@link #finish()}.</li>
 * </ul>
 */
public final class ConverseStreamToAnthropic {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private enum Open { NONE, TEXT, THINKING, TOOL_USE }

  private final String clientModel;
  private final ToolNameMapper names;
  private final String messageId;
  private final long estimatedInputTokens;

  private boolean started;
  private boolean finished;
  private Open open = Open.NONE;
  /** The Converse index of the open block, or of the last one seen. */
  private int converseIndex = -1;
  private int highestClosed = -1;
  private int nextBlockIndex;
  private boolean toolUsed;
  private String stopReason;
  private Usage usage;

  /** A broken ConverseStream: events out of order or malformed. The message quotes no content. */
  public static final class ConverseStreamException extends RuntimeException {
    ConverseStreamException(String message) {
      super(message, null, false, false);
    }
  }

  public ConverseStreamToAnthropic(String clientModel, ToolNameMapper names, String messageId,
                                   long estimatedInputTokens) {
    this.clientModel = clientModel;
    this.names = names;
    this.messageId = messageId;
    this.estimatedInputTokens = estimatedInputTokens;
  }

  /**
   * The Anthropic SSE bytes for one ConverseStream event; empty when it adds nothing visible.
   *
   * @param eventType the event-stream {@code :event-type} ({@code messageStart}, {@code contentBlockDelta}, ...)
   * @param payload the event's JSON
   * @throws ConverseStreamException when the event breaks the stream's order
   */
  public Buffer onEvent(String eventType, JsonNode payload) {
    Buffer out = Buffer.buffer();
    if (finished) {
      return out;
    }
    switch (eventType) {
      case "messageStart" -> start(out);
      case "contentBlockStart" -> blockStart(out, payload);
      case "contentBlockDelta" -> blockDelta(out, payload);
      case "contentBlockStop" -> blockStop(out, payload);
      case "messageStop" -> {
        start(out);
        close(out);
        stopReason = payload.path("stopReason").asText(null);
      }
      case "metadata" -> {
        usage = ConverseToAnthropic.usageOf(payload.path("usage"));
        if (stopReason != null) {
          end(out);
        }
      }
      default -> { } // an event type added later
    }
    return out;
  }

  /**
   * At the clean end of the upstream stream: {@code message_delta} and {@code message_stop} if {@code messageStop}
   * came and {@code metadata} did not; nothing otherwise.
   */
  public Buffer finish() {
    Buffer out = Buffer.buffer();
    if (!finished && stopReason != null) {
      end(out);
    }
    return out;
  }

  /** Whether {@code message_stop} has been produced: the answer is complete. */
  public boolean finished() {
    return finished;
  }

  /** Whether {@code message_start} has been produced, i.e. the client may have seen bytes. */
  public boolean started() {
    return started;
  }

  /**
   * What to settle: the upstream's usage once reported, before that the input estimate the client saw in
   * {@code message_start} (Bedrock bills the prompt of a stream cut short).
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
    AnthropicStreamEvents.messageStart(out, messageId, clientModel,
        ConverseToAnthropic.usageJson(new Usage(estimatedInputTokens, 1, 0, 0)));
  }

  private void blockStart(Buffer out, JsonNode payload) {
    int index = openableIndex(payload);
    JsonNode toolUse = payload.path("start").path("toolUse");
    if (!toolUse.isObject()) {
      return; // tool results and images the model streams back have no place in Anthropic's answer
    }
    start(out);
    close(out);
    converseIndex = index;
    AnthropicStreamEvents.blockStart(out, nextBlockIndex, AnthropicStreamEvents.toolUseBlock(
        toolUse.path("toolUseId").asText(), names.toAnthropic(toolUse.path("name").asText())));
    open = Open.TOOL_USE;
    toolUsed = true;
  }

  private void blockDelta(Buffer out, JsonNode payload) {
    int index = openableIndex(payload);
    JsonNode delta = payload.path("delta");
    start(out);
    if (delta.has("text")) {
      String text = delta.path("text").asText("");
      if (!text.isEmpty()) { // an empty text block is no block at all
        openAs(out, Open.TEXT, index);
        delta(out, "text_delta", "text", text);
      }
    } else if (delta.path("toolUse").isObject()) {
      if (open != Open.TOOL_USE || index != converseIndex) {
        throw new ConverseStreamException("tool input for block " + index + ", which no toolUse start opened");
      }
      delta(out, "input_json_delta", "partial_json", delta.path("toolUse").path("input").asText(""));
    } else if (delta.path("reasoningContent").isObject()) {
      JsonNode reasoning = delta.path("reasoningContent");
      if (reasoning.has("redactedContent")) {
        redacted(out, index, reasoning.path("redactedContent").asText(null));
      } else if (reasoning.has("signature")) {
        openAs(out, Open.THINKING, index);
        delta(out, "signature_delta", "signature", reasoning.path("signature").asText(""));
      } else {
        openAs(out, Open.THINKING, index);
        delta(out, "thinking_delta", "thinking", reasoning.path("text").asText(""));
      }
    }
  }

  private void blockStop(Buffer out, JsonNode payload) {
    int index = index(payload);
    if (open != Open.NONE && index == converseIndex) {
      close(out);
    }
  }

  private void end(Buffer out) {
    close(out);
    finished = true;
    AnthropicStreamEvents.messageEnd(out, ConverseToAnthropic.stopReason(stopReason, toolUsed), null,
        ConverseToAnthropic.usageJson(usage != null ? usage : new Usage(estimatedInputTokens, 0, 0, 0)));
  }

  // ---- blocks ----

  /** Makes a block of {@code kind} for Converse block {@code index} the open one, closing any other. */
  private void openAs(Buffer out, Open kind, int index) {
    if (open == kind && converseIndex == index) {
      return;
    }
    close(out);
    converseIndex = index;
    AnthropicStreamEvents.blockStart(out, nextBlockIndex,
        kind == Open.TEXT ? AnthropicStreamEvents.textBlock() : AnthropicStreamEvents.thinkingBlock());
    open = kind;
  }

  private void redacted(Buffer out, int index, String blob) {
    String data = ConverseToAnthropic.redactedData(blob);
    if (data == null) {
      throw new ConverseStreamException("redacted reasoning of block " + index + " is not base64 text");
    }
    close(out);
    converseIndex = index;
    AnthropicStreamEvents.blockStart(out, nextBlockIndex,
        NODES.objectNode().put("type", "redacted_thinking").put("data", data));
    AnthropicStreamEvents.blockStop(out, nextBlockIndex);
    nextBlockIndex++;
  }

  /** Empty text and thinking deltas are dropped; an empty tool input fragment passes, as Anthropic sends one. */
  private void delta(Buffer out, String type, String field, String value) {
    if (value.isEmpty() && !type.equals("input_json_delta")) {
      return;
    }
    AnthropicStreamEvents.delta(out, nextBlockIndex, type, field, value);
  }

  private void close(Buffer out) {
    if (open == Open.NONE) {
      return;
    }
    AnthropicStreamEvents.blockStop(out, nextBlockIndex);
    highestClosed = Math.max(highestClosed, converseIndex);
    nextBlockIndex++;
    open = Open.NONE;
  }

  /** The event's block index. */
  private static int index(JsonNode payload) {
    JsonNode index = payload.path("contentBlockIndex");
    if (!index.isIntegralNumber() || !index.canConvertToInt() || index.asInt() < 0) {
      throw new ConverseStreamException("an event without a valid contentBlockIndex");
    }
    return index.asInt();
  }

  /** The index of a start or delta, which must not name a block already closed (blocks do not interleave). */
  private int openableIndex(JsonNode payload) {
    int index = index(payload);
    boolean isOpen = open != Open.NONE && index == converseIndex;
    if (index <= highestClosed && !isOpen) {
      throw new ConverseStreamException("an event for block " + index + " after it was closed");
    }
    return index;
  }
}
