package dev.turnpike.provider.anthropic;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

/**
 * The events of an Anthropic Messages stream, written the same way by every dialect translated into one (OpenAI,
 * Cohere, Gemini, Converse). Which block is open, and when to close it, stays with each translator.
 */
public final class AnthropicStreamEvents {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AnthropicStreamEvents() {}

  /** {@code message_start}: an empty assistant message with the first usage figures. */
  public static void messageStart(Buffer out, String messageId, String model, ObjectNode usage) {
    ObjectNode event = NODES.objectNode().put("type", "message_start");
    ObjectNode message = event.putObject("message");
    message.put("id", messageId);
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", usage);
    AnthropicSse.append(out, "message_start", event);
  }

  /** {@code content_block_start} of block {@code index}. */
  public static void blockStart(Buffer out, int index, ObjectNode contentBlock) {
    ObjectNode event = blockEvent("content_block_start", index);
    event.set("content_block", contentBlock);
    AnthropicSse.append(out, "content_block_start", event);
  }

  /** A text block as it starts, empty. */
  public static ObjectNode textBlock() {
    return NODES.objectNode().put("type", "text").put("text", "");
  }

  /** A thinking block as it starts, empty and unsigned. */
  public static ObjectNode thinkingBlock() {
    return NODES.objectNode().put("type", "thinking").put("thinking", "").put("signature", "");
  }

  /** A tool_use block as it starts: its input follows in {@code input_json_delta}s. */
  public static ObjectNode toolUseBlock(String id, String name) {
    ObjectNode block = NODES.objectNode().put("type", "tool_use").put("id", id).put("name", name);
    block.putObject("input");
    return block;
  }

  /** {@code content_block_delta} of block {@code index}: {@code {"type": deltaType, field: value}}. */
  public static void delta(Buffer out, int index, String deltaType, String field, String value) {
    ObjectNode event = blockEvent("content_block_delta", index);
    event.putObject("delta").put("type", deltaType).put(field, value);
    AnthropicSse.append(out, "content_block_delta", event);
  }

  public static void textDelta(Buffer out, int index, String text) {
    delta(out, index, "text_delta", "text", text);
  }

  public static void inputJsonDelta(Buffer out, int index, String partialJson) {
    delta(out, index, "input_json_delta", "partial_json", partialJson);
  }

  /** {@code content_block_stop} of block {@code index}. */
  public static void blockStop(Buffer out, int index) {
    AnthropicSse.append(out, "content_block_stop", blockEvent("content_block_stop", index));
  }

  /** {@code message_delta} with the stop reason and final usage, then {@code message_stop}. */
  public static void messageEnd(Buffer out, String stopReason, String stopSequence, ObjectNode usage) {
    ObjectNode messageDelta = NODES.objectNode().put("type", "message_delta");
    messageDelta.putObject("delta").put("stop_reason", stopReason).put("stop_sequence", stopSequence);
    messageDelta.set("usage", usage);
    AnthropicSse.append(out, "message_delta", messageDelta);
    AnthropicSse.append(out, "message_stop", NODES.objectNode().put("type", "message_stop"));
  }

  private static ObjectNode blockEvent(String type, int index) {
    return NODES.objectNode().put("type", type).put("index", index);
  }
}
