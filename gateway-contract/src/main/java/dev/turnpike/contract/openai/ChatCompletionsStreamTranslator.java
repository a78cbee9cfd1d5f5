package dev.turnpike.contract.openai;

import static dev.turnpike.contract.openai.ChatJson.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic Messages SSE events to OpenAI {@code chat.completion.chunk} events, one instance per streamed answer
 * (not thread-safe). Each chunk is one {@code data: {...}} event without an {@code event:} line, as OpenAI sends
 * them; the stream ends with {@code data: [DONE]}.
 *
 * <p>It keeps the completion's model, the open block's index and kind, how many tool calls it has opened, the stop
 * reason and the usage, never the streamed text or arguments, so its memory does not grow with the answer.
 * <ul>
 *   <li>{@code message_start} gives the first chunk: {@code delta: {"role":"assistant","content":""}}.</li>
 *   <li>A {@code text_delta} gives a {@code delta.content} chunk.</li>
 *   <li>A {@code tool_use} block start gives a {@code delta.tool_calls} entry with its {@code index} (0, 1, ... in
 *   the order the calls start, which is not the Anthropic block index), {@code id}, {@code type} and
 *   {@code function.name} with empty arguments; each non-empty {@code input_json_delta} then gives an entry with
 *   the same {@code index} and an argument fragment. For the deprecated functions, the first call is
 *   {@code delta.function_call} and any further one is left out.</li>
 *   <li>Thinking, redacted thinking, citations and blocks this class does not know give nothing; so do
 *   {@code ping} and event types added later.</li>
 *   <li>{@code message_delta} only records the stop reason and usage; {@code message_stop} then gives the chunk
 *   with {@code finish_reason} and an empty delta, the usage chunk ({@code choices: []}) when
 *   {@code include_usage} was asked for, and {@code [DONE]}. With {@code include_usage} every other chunk carries
 *   {@code "usage": null}, as OpenAI's do.</li>
 *   <li>An Anthropic {@code error} event gives a last {@code data: {"error": {...}}} event (no {@code [DONE]}),
 *   which OpenAI's SDKs raise as an API error.</li>
 * </ul>
 */
public final class ChatCompletionsStreamTranslator {
  private static final ChatJson F = ChatJson.UPSTREAM;
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private enum Block { TEXT, TOOL_CALL, IGNORED }

  private final ChatCompletionMeta meta;
  private final ChatAnswerOptions options;
  private String model;
  private boolean started;
  private boolean finished;
  private int openIndex = -1;
  private Block openBlock;
  /** The OpenAI index of the open tool call. */
  private int toolCallIndex = -1;
  private int toolCalls;
  private String stopReason;
  private Usage usage = Usage.NONE;

  public ChatCompletionsStreamTranslator(ChatCompletionMeta meta, ChatAnswerOptions options) {
    this.meta = meta;
    this.options = options;
    this.model = meta.requestedModel();
  }

  /** Whether the stream has ended ({@code [DONE]} or an error chunk was produced). */
  public boolean finished() {
    return finished;
  }

  /**
   * The SSE bytes for one Anthropic SSE event; empty when it adds nothing the client sees.
   *
   * @param eventType the SSE {@code event:} name; when null, the data's {@code type}
   * @throws ChatCompletionsException ({@code UPSTREAM_ERROR}) for a malformed event or events out of order; the
   *     caller then ends the stream with {@link OpenAiErrors#streamChunk}
   */
  public Buffer onAnthropicEvent(String eventType, Buffer dataJson) {
    if ("ping".equals(eventType)) {
      return Buffer.buffer();
    }
    if (finished) {
      throw F.fail("", "event " + ChatJson.quote(String.valueOf(eventType)) + " after the end of the stream");
    }
    ObjectNode data = F.parseObject(dataJson, "Stream event data");
    String type = eventType != null && !eventType.equals("message") ? eventType : F.text(data.get("type"), "type");
    if (!started && !type.equals("message_start") && !type.equals("error")) {
      if (isKnown(type)) {
        throw F.fail("", "event " + ChatJson.quote(type) + " before message_start");
      }
      return Buffer.buffer();
    }
    return switch (type) {
      case "message_start" -> messageStart(data);
      case "content_block_start" -> blockStart(data);
      case "content_block_delta" -> blockDelta(data);
      case "content_block_stop" -> blockStop(data);
      case "message_delta" -> messageDelta(data);
      case "message_stop" -> messageStop();
      case "error" -> error(data);
      default -> Buffer.buffer();
    };
  }

  private static boolean isKnown(String type) {
    return switch (type) {
      case "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop" ->
          true;
      default -> false;
    };
  }

  private Buffer messageStart(ObjectNode data) {
    if (started) {
      throw F.fail("", "a second message_start");
    }
    started = true;
    JsonNode message = data.path("message");
    model = ChatCompletionsResponseTranslator.model(message.get("model"), meta);
    usage = ChatUsage.fromAnthropic(message.get("usage"), Usage.NONE);
    return chunk(NODES.objectNode().put("role", "assistant").put("content", ""), null);
  }

  private Buffer blockStart(ObjectNode data) {
    int index = index(data);
    if (openBlock != null) {
      throw F.fail("index", "block " + index + " starts while block " + openIndex + " is open");
    }
    ObjectNode block = F.object(data.get("content_block"), "content_block");
    String type = F.text(block.get("type"), "content_block.type");
    openIndex = index;
    switch (type) {
      case "text" -> {
        openBlock = Block.TEXT;
        String text = block.path("text").asText("");
        return text.isEmpty() ? Buffer.buffer() : chunk(NODES.objectNode().put("content", text), null);
      }
      case "tool_use" -> {
        if (options.legacyFunctions() && toolCalls > 0) {
          openBlock = Block.IGNORED; // the functions API carries one call
          return Buffer.buffer();
        }
        openBlock = Block.TOOL_CALL;
        toolCallIndex = toolCalls++;
        ObjectNode function = NODES.objectNode()
            .put("name", F.nonEmptyText(block.get("name"), "content_block.name"))
            .put("arguments", "");
        String id = F.nonEmptyText(block.get("id"), "content_block.id");
        return chunk(toolCallDelta(function, id), null);
      }
      default -> {
        openBlock = Block.IGNORED;
        return Buffer.buffer();
      }
    }
  }

  private Buffer blockDelta(ObjectNode data) {
    int index = index(data);
    if (openBlock == null || index != openIndex) {
      throw F.fail("index", "block " + index + " is not open");
    }
    ObjectNode delta = F.object(data.get("delta"), "delta");
    String type = F.text(delta.get("type"), "delta.type");
    if (openBlock == Block.TEXT && type.equals("text_delta")) {
      String text = F.text(delta.get("text"), "delta.text");
      return text.isEmpty() ? Buffer.buffer() : chunk(NODES.objectNode().put("content", text), null);
    }
    if (openBlock == Block.TOOL_CALL && type.equals("input_json_delta")) {
      String fragment = F.text(delta.get("partial_json"), "delta.partial_json");
      return fragment.isEmpty() ? Buffer.buffer()
          : chunk(toolCallDelta(NODES.objectNode().put("arguments", fragment), null), null);
    }
    return Buffer.buffer(); // citations, a thinking block's deltas, delta types added later
  }

  private Buffer blockStop(ObjectNode data) {
    int index = index(data);
    if (openBlock == null || index != openIndex) {
      throw F.fail("index", "block " + index + " is not open");
    }
    openBlock = null;
    openIndex = -1;
    return Buffer.buffer();
  }

  private Buffer messageDelta(ObjectNode data) {
    JsonNode reason = data.path("delta").get("stop_reason");
    if (reason != null && reason.isTextual()) {
      stopReason = reason.textValue();
    }
    usage = ChatUsage.fromAnthropic(data.get("usage"), usage);
    return Buffer.buffer();
  }

  private Buffer messageStop() {
    if (openBlock != null) {
      throw F.fail("", "message_stop while block " + openIndex + " is open");
    }
    finished = true;
    Buffer out = chunk(NODES.objectNode(), FinishReasons.fromAnthropic(stopReason, options.legacyFunctions()));
    if (options.includeUsage()) {
      ObjectNode last = header();
      last.putArray("choices");
      last.set("usage", ChatUsage.toOpenAi(usage));
      out.appendBuffer(frame(last));
    }
    return out.appendBuffer(DONE);
  }

  private Buffer error(ObjectNode data) {
    finished = true;
    Buffer error = ChatJson.write(data);
    return OpenAiErrors.streamChunk(OpenAiErrors.ofAnthropicType(OpenAiErrors.anthropicType(error)),
        OpenAiErrors.anthropicMessage(error, "The upstream ended the stream with an error"));
  }

  /** A tool call's delta: {@code tool_calls[{index, id?, type?, function}]}, or {@code function_call}. */
  private ObjectNode toolCallDelta(ObjectNode function, String id) {
    ObjectNode delta = NODES.objectNode();
    if (options.legacyFunctions()) {
      delta.set("function_call", function);
      return delta;
    }
    ObjectNode call = delta.putArray("tool_calls").addObject().put("index", toolCallIndex);
    if (id != null) {
      call.put("id", id).put("type", "function");
    }
    call.set("function", function);
    return delta;
  }

  private static int index(ObjectNode data) {
    JsonNode index = data.get("index");
    if (index == null || !index.isIntegralNumber() || !index.canConvertToInt() || index.intValue() < 0) {
      throw F.fail("index", "must be a non-negative integer");
    }
    return index.intValue();
  }

  private ObjectNode header() {
    return NODES.objectNode()
        .put("id", meta.id())
        .put("object", "chat.completion.chunk")
        .put("created", meta.created())
        .put("model", model);
  }

  private Buffer chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = header();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    if (options.includeUsage()) {
      chunk.putNull("usage");
    }
    return frame(chunk);
  }

  private static Buffer frame(ObjectNode chunk) {
    return Buffer.buffer("data: ").appendBuffer(ChatJson.write(chunk)).appendString("\n\n");
  }
}
