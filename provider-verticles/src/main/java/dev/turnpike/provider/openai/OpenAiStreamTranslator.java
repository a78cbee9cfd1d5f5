package dev.turnpike.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.anthropic.AnthropicErrors;
import dev.turnpike.provider.anthropic.AnthropicStreamEvents;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI Chat Completions chunks to Anthropic SSE events, one instance per streamed answer (not thread-safe).
 *
 * <p>Anthropic blocks are strictly sequential (start, deltas, stop, then the next index), while OpenAI may
 * interleave parallel tool calls by {@code index}. So exactly one block is live at a time:
 * <ul>
 *   <li>text streams live until the first tool call, which closes it;</li>
 *   <li>the first tool call streams live ({@code input_json_delta} per fragment) and stays open to the end,
 *   because OpenAI never says a call is complete before {@code finish_reason};</li>
 *   <li>fragments of every other tool call are buffered per call and emitted at {@link #finish()}, each as one
 *   block in first-seen order, as is any text that arrives after a tool call started.</li>
 * </ul>
 * OpenAI sends calls one after another, so this costs only the live display of the 2nd..nth parallel call,
 * and it can never close a block that later receives a fragment.
 *
 * <p>Reasoning deltas ({@code reasoning_content}, {@code reasoning}) are dropped, see
 * {@link OpenAiResponseTranslator}. A chunk carrying {@code error} is the caller's to fail on
 * ({@link OpenAiErrorMapper}); this class only reads {@code choices} and {@code usage}.
 */
public final class OpenAiStreamTranslator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String clientModel;
  private final ToolNameMapper names;
  private final long estimatedInputTokens;

  private String messageId;
  private boolean started;
  private boolean finished;
  private int nextBlockIndex;
  private boolean textOpen;
  private ToolCall liveTool;
  private final Map<Integer, ToolCall> toolCalls = new LinkedHashMap<>();
  private final StringBuilder lateText = new StringBuilder();
  private String finishReason;
  private String matchedStop;
  private Usage usage;

  private static final class ToolCall {
    final int position;
    String id;
    String name;
    final StringBuilder pendingArguments = new StringBuilder();
    boolean opened;

    ToolCall(int position) {
      this.position = position;
    }
  }

  public OpenAiStreamTranslator(String clientModel, ToolNameMapper names, long estimatedInputTokens) {
    this.clientModel = clientModel;
    this.names = names;
    this.estimatedInputTokens = estimatedInputTokens;
  }

  /** Anthropic SSE bytes for one parsed {@code data:} chunk; empty when it adds nothing visible. */
  public Buffer onChunk(JsonNode chatCompletionChunk) {
    Buffer out = Buffer.buffer();
    if (finished) {
      return out;
    }
    JsonNode usageNode = chatCompletionChunk.path("usage");
    JsonNode choices = chatCompletionChunk.path("choices");
    if (!started && !usageNode.isObject() && choices.isEmpty()) {
      // Azure's prompt-filter annotation comes first, with an empty id and nothing to show: the message starts
      // with the first chunk that has content (and an id).
      return out;
    }
    if (usageNode.isObject()) {
      usage = OpenAiResponseTranslator.usageOf(usageNode); // include_usage: the last chunk, choices empty
    }
    start(out, chatCompletionChunk.path("id").asText(null));
    for (JsonNode choice : choices) {
      if (choice.path("index").asInt(0) != 0) {
        continue; // only one choice is ever requested
      }
      JsonNode delta = choice.path("delta");
      text(out, delta.path("content"));
      text(out, delta.path("refusal"));
      int position = 0;
      for (JsonNode call : delta.path("tool_calls")) {
        toolFragment(out, call, position++);
      }
      if (delta.path("function_call").isObject()) {
        toolFragment(out, delta.path("function_call"), 0);
      }
      if (choice.path("finish_reason").isTextual()) {
        finishReason = choice.path("finish_reason").asText();
        String stop = OpenAiResponseTranslator.matchedStopSequence(choice);
        matchedStop = stop != null ? stop : matchedStop;
      }
    }
    return out;
  }

  /**
   * Closes what is open, then {@code message_delta} (stop reason, usage) and {@code message_stop}. Call once, on
   * {@code data: [DONE]} or a clean end of the upstream stream; later calls return nothing.
   */
  public Buffer finish() {
    Buffer out = Buffer.buffer();
    if (finished) {
      return out;
    }
    start(out, null);
    closeText(out);
    if (liveTool != null) {
      stopBlock(out);
      liveTool = null;
    }
    for (ToolCall call : toolCalls.values()) {
      if (!call.opened) {
        openTool(out, call);
        stopBlock(out);
      }
    }
    if (!lateText.isEmpty()) {
      openText(out);
      textDelta(out, lateText.toString());
      closeText(out);
    }
    finished = true;

    String stopReason = OpenAiResponseTranslator.stopReason(finishReason, !toolCalls.isEmpty(), matchedStop);
    AnthropicStreamEvents.messageEnd(out, stopReason, "stop_sequence".equals(stopReason) ? matchedStop : null,
        usage != null ? OpenAiResponseTranslator.usageJson(usage) : NODES.objectNode().put("output_tokens", 0));
    return out;
  }

  /** What the upstream reported; {@link Usage#NONE} when it reported nothing (the stream was cut short). */
  public Usage usage() {
    return usage != null ? usage : Usage.NONE;
  }

  /**
   * What to settle: the upstream's usage once it reported any, before that the input estimate the client saw
   * in {@code message_start} (OpenAI reports usage only at the end, and bills the prompt of a stream cut short).
   */
  public Usage usageSoFar() {
    if (usage != null) {
      return usage;
    }
    return started ? new Usage(estimatedInputTokens, 0, 0, 0) : Usage.NONE;
  }

  /** Whether the upstream said the answer is complete ({@code finish_reason}). */
  public boolean sawFinishReason() {
    return finishReason != null;
  }

  /** Whether {@code message_start} has been produced, i.e. the client may have seen bytes. */
  public boolean started() {
    return started;
  }

  /** An Anthropic {@code event: error} frame, for a failure after the stream started. */
  public static Buffer errorEvent(Failure failure) {
    return AnthropicErrors.sseEvent(failure);
  }

  // ---- events ----

  private void start(Buffer out, String openAiId) {
    if (started) {
      return;
    }
    started = true;
    messageId = OpenAiResponseTranslator.messageId(openAiId);
    Usage initial = usage != null ? usage : new Usage(estimatedInputTokens, 0, 0, 0);
    AnthropicStreamEvents.messageStart(out, messageId, clientModel, OpenAiResponseTranslator.usageJson(
        new Usage(initial.inputTokens(), 1, initial.cacheReadTokens(), initial.cacheCreationTokens())));
  }

  private void text(Buffer out, JsonNode text) {
    if (!text.isTextual() || text.asText().isEmpty()) {
      return;
    }
    if (liveTool != null) {
      lateText.append(text.asText());
      return;
    }
    if (!textOpen) {
      openText(out);
    }
    textDelta(out, text.asText());
  }

  private void toolFragment(Buffer out, JsonNode fragment, int position) {
    ToolCall call = toolCall(fragment, position);
    JsonNode function = fragment.path("function").isObject() ? fragment.path("function") : fragment;
    if (call.id == null && fragment.path("id").isTextual() && !fragment.path("id").asText().isEmpty()) {
      call.id = fragment.path("id").asText();
    }
    if (call.name == null && function.path("name").isTextual() && !function.path("name").asText().isEmpty()) {
      call.name = names.toAnthropic(function.path("name").asText());
    }
    String arguments = function.path("arguments").asText("");
    if (call == liveTool) {
      argumentsDelta(out, arguments);
      return;
    }
    call.pendingArguments.append(arguments);
    if (liveTool == null && !call.opened && call.name != null) {
      closeText(out);
      openTool(out, call);
      liveTool = call;
    }
  }

  /** OpenAI keys fragments by {@code index}; servers that omit it send whole calls, told apart by {@code id}. */
  private ToolCall toolCall(JsonNode fragment, int position) {
    int key;
    if (fragment.path("index").isInt()) {
      key = fragment.path("index").asInt();
    } else if (fragment.path("id").isTextual()) {
      key = -1;
      for (Map.Entry<Integer, ToolCall> entry : toolCalls.entrySet()) {
        if (fragment.path("id").asText().equals(entry.getValue().id)) {
          key = entry.getKey();
        }
      }
      if (key == -1) {
        key = Integer.MIN_VALUE + toolCalls.size(); // out of the way of real indices
      }
    } else {
      key = toolCalls.isEmpty() ? position : lastKey();
    }
    return toolCalls.computeIfAbsent(key, k -> new ToolCall(toolCalls.size()));
  }

  private int lastKey() {
    int last = 0;
    for (int key : toolCalls.keySet()) {
      last = key;
    }
    return last;
  }

  private void openText(Buffer out) {
    AnthropicStreamEvents.blockStart(out, nextBlockIndex, AnthropicStreamEvents.textBlock());
    textOpen = true;
  }

  private void textDelta(Buffer out, String text) {
    AnthropicStreamEvents.textDelta(out, nextBlockIndex, text);
  }

  private void closeText(Buffer out) {
    if (textOpen) {
      stopBlock(out);
      textOpen = false;
    }
  }

  private void openTool(Buffer out, ToolCall call) {
    call.opened = true;
    AnthropicStreamEvents.blockStart(out, nextBlockIndex, AnthropicStreamEvents.toolUseBlock(
        OpenAiResponseTranslator.toolUseId(call.id, messageId, call.position), call.name != null ? call.name : ""));
    argumentsDelta(out, call.pendingArguments.toString());
    call.pendingArguments.setLength(0);
  }

  private void argumentsDelta(Buffer out, String partialJson) {
    if (partialJson.isEmpty()) {
      return;
    }
    AnthropicStreamEvents.inputJsonDelta(out, nextBlockIndex, partialJson);
  }

  private void stopBlock(Buffer out) {
    AnthropicStreamEvents.blockStop(out, nextBlockIndex);
    nextBlockIndex++;
  }
}
