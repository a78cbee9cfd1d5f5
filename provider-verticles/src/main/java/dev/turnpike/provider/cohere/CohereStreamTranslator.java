package dev.turnpike.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.anthropic.AnthropicStreamEvents;
import io.vertx.core.buffer.Buffer;

/**
 * Cohere v2 chat stream events to Anthropic SSE events, one instance per streamed answer (not thread-safe).
 *
 * <p>Cohere's events are already sequential (a content or tool call starts, has deltas, ends), so each becomes
 * one Anthropic block: {@code tool-plan-delta} and text {@code content-*} events stream into a text block, each
 * {@code tool-call-*} run into a {@code tool_use} block, and {@code message-end} into {@code message_delta} and
 * {@code message_stop}. Thinking content and citation events are dropped (see
 * {@link CohereResponseTranslator}).
 *
 * <p>Tool arguments stream live once they start like a JSON object; anything else (Cohere sends {@code null}
 * for a tool without parameters) is held, at most {@value #MAX_HELD_ARGUMENT_CHARS} characters, and sent at
 * {@code tool-call-end} as the object {@link CohereResponseTranslator#parseArguments} makes of it, so the client
 * always assembles a JSON object.
 *
 * <p>A {@code message-end} whose finish reason is {@code ERROR} or {@code TIMEOUT} produces no events: the
 * caller reads {@link #finishReason()} and {@link #error()} and fails the stream.
 */
public final class CohereStreamTranslator {
  static final int MAX_HELD_ARGUMENT_CHARS = 1 << 20;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String clientModel;
  private final CohereToolNames names;
  private final long estimatedInputTokens;

  private String messageId;
  private boolean started;
  private boolean ended;
  private int nextBlockIndex;
  private boolean textOpen;
  private boolean inThinking;
  private boolean toolOpen;
  private boolean toolArgumentsLive;
  private final StringBuilder heldArguments = new StringBuilder();
  private int toolCalls;
  private String finishReason;
  private String error;
  private Usage usage;

  public CohereStreamTranslator(String clientModel, CohereToolNames names, long estimatedInputTokens) {
    this.clientModel = clientModel;
    this.names = names;
    this.estimatedInputTokens = estimatedInputTokens;
  }

  /**
   * Anthropic SSE bytes for one parsed event; empty when it adds nothing visible.
   *
   * @throws IllegalStateException when the upstream holds back more tool arguments than allowed
   */
  public Buffer onEvent(JsonNode event) {
    Buffer out = Buffer.buffer();
    if (ended) {
      return out;
    }
    String type = event.path("type").asText();
    start(out, "message-start".equals(type) ? event.path("id").asText(null) : null);
    JsonNode message = event.path("delta").path("message");
    switch (type) {
      case "content-start" -> {
        inThinking = "thinking".equals(message.path("content").path("type").asText());
        if (!inThinking) {
          text(out, message.path("content").path("text").asText(""));
        }
      }
      case "content-delta" -> {
        if (!inThinking) {
          text(out, message.path("content").path("text").asText(""));
        }
      }
      case "content-end" -> {
        if (inThinking) {
          inThinking = false;
        } else {
          closeText(out);
        }
      }
      case "tool-plan-delta" -> text(out, message.path("tool_plan").asText(""));
      case "tool-call-start" -> openTool(out, message.path("tool_calls"));
      case "tool-call-delta" -> {
        if (toolOpen) {
          arguments(out, message.path("tool_calls").path("function").path("arguments").asText(""));
        }
      }
      case "tool-call-end" -> closeTool(out);
      case "message-end" -> end(out, event.path("delta"));
      default -> { } // citation-start/-end, debug and anything newer: nothing an Anthropic client shows
    }
    return out;
  }

  /** Whether {@code message-end} arrived (the answer is complete, or failed if {@link #error()} says so). */
  public boolean ended() {
    return ended;
  }

  /** The finish reason {@code message-end} gave, or null before it. */
  public String finishReason() {
    return finishReason;
  }

  /** The error text {@code message-end} carried, or null. */
  public String error() {
    return error;
  }

  /** What the upstream reported; {@link Usage#NONE} when it reported nothing (the stream was cut short). */
  public Usage usage() {
    return usage != null ? usage : Usage.NONE;
  }

  /**
   * What to settle: the upstream's usage once it reported any, before that the input estimate the client saw in
   * {@code message_start} (Cohere reports usage only at the end, and a stream cut short still read its prompt).
   */
  public Usage usageSoFar() {
    if (usage != null) {
      return usage;
    }
    return started ? new Usage(estimatedInputTokens, 0, 0, 0) : Usage.NONE;
  }

  /** Whether {@code message_start} has been produced, i.e. the client may have seen bytes. */
  public boolean started() {
    return started;
  }

  // ---- events ----

  private void start(Buffer out, String cohereId) {
    if (started) {
      return;
    }
    started = true;
    messageId = CohereResponseTranslator.messageId(cohereId);
    AnthropicStreamEvents.messageStart(out, messageId, clientModel,
        CohereResponseTranslator.usageJson(new Usage(estimatedInputTokens, 1, 0, 0)));
  }

  private void text(Buffer out, String text) {
    if (text.isEmpty()) {
      return;
    }
    closeTool(out); // text after a call without tool-call-end: that call is over
    if (!textOpen) {
      AnthropicStreamEvents.blockStart(out, nextBlockIndex, AnthropicStreamEvents.textBlock());
      textOpen = true;
    }
    AnthropicStreamEvents.textDelta(out, nextBlockIndex, text);
  }

  private void closeText(Buffer out) {
    if (textOpen) {
      stopBlock(out);
      textOpen = false;
    }
  }

  private void openTool(Buffer out, JsonNode call) {
    closeText(out);
    closeTool(out);
    AnthropicStreamEvents.blockStart(out, nextBlockIndex, AnthropicStreamEvents.toolUseBlock(
        CohereResponseTranslator.toolUseId(call.path("id").asText(null), messageId, toolCalls++),
        names.toAnthropic(call.path("function").path("name").asText(""))));
    toolOpen = true;
    toolArgumentsLive = false;
    heldArguments.setLength(0);
    arguments(out, call.path("function").path("arguments").asText(""));
  }

  private void arguments(Buffer out, String fragment) {
    if (fragment.isEmpty()) {
      return;
    }
    if (toolArgumentsLive) {
      argumentsDelta(out, fragment);
      return;
    }
    heldArguments.append(fragment);
    if (heldArguments.length() > MAX_HELD_ARGUMENT_CHARS) {
      throw new IllegalStateException("tool call arguments longer than " + MAX_HELD_ARGUMENT_CHARS
          + " characters that are not a JSON object");
    }
    String held = heldArguments.toString().stripLeading();
    if (held.startsWith("{")) {
      toolArgumentsLive = true;
      argumentsDelta(out, heldArguments.toString());
      heldArguments.setLength(0);
    }
  }

  private void closeTool(Buffer out) {
    if (!toolOpen) {
      return;
    }
    if (!toolArgumentsLive) {
      JsonNode input = CohereResponseTranslator.parseArguments(heldArguments.toString());
      if (!input.isEmpty()) {
        argumentsDelta(out, input.toString());
      }
      heldArguments.setLength(0);
    }
    stopBlock(out);
    toolOpen = false;
  }

  private void argumentsDelta(Buffer out, String partialJson) {
    AnthropicStreamEvents.inputJsonDelta(out, nextBlockIndex, partialJson);
  }

  private void end(Buffer out, JsonNode delta) {
    ended = true;
    finishReason = delta.path("finish_reason").asText(null);
    error = delta.path("error").isTextual() ? delta.path("error").asText() : null;
    if (delta.path("usage").isObject()) {
      usage = CohereResponseTranslator.usageOf(delta.path("usage"));
    }
    if ("ERROR".equals(finishReason) || "TIMEOUT".equals(finishReason)) {
      return; // the caller fails the stream; no message_delta may claim the answer is complete
    }
    closeText(out);
    closeTool(out);
    AnthropicStreamEvents.messageEnd(out, CohereResponseTranslator.stopReason(finishReason, toolCalls > 0), null,
        usage != null ? CohereResponseTranslator.usageJson(usage) : NODES.objectNode().put("output_tokens", 0));
  }

  private void stopBlock(Buffer out) {
    AnthropicStreamEvents.blockStop(out, nextBlockIndex);
    nextBlockIndex++;
  }
}
