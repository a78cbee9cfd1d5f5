package dev.turnpike.contract.converse;

import static dev.turnpike.contract.converse.JsonFields.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Anthropic Messages SSE events to ConverseStream events, one instance per streamed answer (not thread-safe).
 *
 * <p>It keeps only the open block's index and kind, the stop reason and the usage, never the streamed text, so its
 * memory does not grow with the answer. Block indices pass through unchanged: Anthropic's blocks are sequential,
 * as Converse's are.
 * <ul>
 *   <li>{@code message_start} gives {@code messageStart}; {@code ping} and event types this class does not know
 *   give nothing (Anthropic may add event types).</li>
 *   <li>Only a {@code tool_use} block has a {@code contentBlockStart} ({@code toolUseId}, {@code name}): text and
 *   reasoning blocks start with their first delta, so a block that closes without any gets one empty delta.</li>
 *   <li>{@code text_delta}, {@code input_json_delta}, {@code thinking_delta} and {@code signature_delta} give a
 *   {@code contentBlockDelta}; a {@code redacted_thinking} block gives its data as one
 *   {@code reasoningContent.redactedContent} delta. {@code citations_delta} is dropped.</li>
 *   <li>{@code message_delta} only records the stop reason and usage; {@code message_stop} then gives
 *   {@code messageStop} and, last, {@code metadata} with the usage and the latency.</li>
 *   <li>An Anthropic {@code error} event gives one exception event ({@link ConverseEvent#isException()}) and ends
 *   the stream.</li>
 * </ul>
 */
public final class ConverseStreamTranslator {
  private static final JsonFields F = JsonFields.UPSTREAM;

  private enum Block { TEXT, THINKING, REDACTED_THINKING, TOOL_USE }

  private final LongSupplier latencyMs;
  private boolean started;
  private boolean finished;
  private int openIndex = -1;
  private Block openBlock;
  private boolean openHasDelta;
  private String stopReason;
  private Usage usage = Usage.NONE;

  /** Reports {@code metrics.latencyMs} as 0. */
  public ConverseStreamTranslator() {
    this(() -> 0);
  }

  /** @param latencyMs read once, when the answer ends, for {@code metadata.metrics.latencyMs} */
  public ConverseStreamTranslator(LongSupplier latencyMs) {
    this.latencyMs = latencyMs;
  }

  /**
   * The Converse events for one Anthropic SSE event; empty when it adds nothing visible.
   *
   * @param eventType the SSE {@code event:} name; when null, the data's {@code type}
   * @throws ConverseException ({@code UPSTREAM_ERROR}) for a malformed event, events out of order, or a block
   *     Converse cannot carry; the caller then ends the stream with {@link ConverseEvent#exception}
   */
  public List<ConverseEvent> onAnthropicEvent(String eventType, Buffer dataJson) {
    if (finished) {
      throw F.fail("", "event " + JsonFields.quote(String.valueOf(eventType)) + " after the end of the stream");
    }
    if ("ping".equals(eventType)) {
      return List.of();
    }
    ObjectNode data = F.parseObject(dataJson, "Stream event data");
    String type = eventType != null ? eventType : F.text(data.get("type"), "type");
    if (!started && !type.equals("message_start") && !type.equals("error")) {
      return isKnown(type) ? failBeforeStart(type) : List.of();
    }
    return switch (type) {
      case "message_start" -> messageStart(data);
      case "content_block_start" -> blockStart(data);
      case "content_block_delta" -> blockDelta(data);
      case "content_block_stop" -> blockStop(data);
      case "message_delta" -> messageDelta(data);
      case "message_stop" -> messageStop();
      case "error" -> error(data);
      default -> List.of();
    };
  }

  private static boolean isKnown(String type) {
    return switch (type) {
      case "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop" ->
          true;
      default -> false;
    };
  }

  private static List<ConverseEvent> failBeforeStart(String type) {
    throw F.fail("", "event " + JsonFields.quote(type) + " before message_start");
  }

  private List<ConverseEvent> messageStart(ObjectNode data) {
    if (started) {
      throw F.fail("", "a second message_start");
    }
    started = true;
    usage = ConverseUsage.fromAnthropic(data.path("message").get("usage"), Usage.NONE);
    return List.of(event(ConverseEvent.MESSAGE_START, NODES.objectNode().put("role", "assistant")));
  }

  private List<ConverseEvent> blockStart(ObjectNode data) {
    int index = index(data);
    if (openBlock != null) {
      throw F.fail("index", "block " + index + " starts while block " + openIndex + " is open");
    }
    ObjectNode block = F.object(data.get("content_block"), "content_block");
    String type = F.text(block.get("type"), "content_block.type");
    openIndex = index;
    openHasDelta = false;
    switch (type) {
      case "text" -> {
        openBlock = Block.TEXT;
        String text = block.path("text").asText("");
        return text.isEmpty() ? List.of() : List.of(delta(NODES.objectNode().put("text", text)));
      }
      case "thinking" -> {
        openBlock = Block.THINKING;
        String thinking = block.path("thinking").asText("");
        return thinking.isEmpty() ? List.of() : List.of(reasoningDelta("text", thinking));
      }
      case "redacted_thinking" -> {
        openBlock = Block.REDACTED_THINKING;
        String data64 = ConverseResponseTranslator.redactedContent(
            F.text(block.get("data"), "content_block.data"));
        return List.of(reasoningDelta("redactedContent", data64));
      }
      case "tool_use" -> {
        openBlock = Block.TOOL_USE;
        openHasDelta = true; // the start event itself opens the block on the client
        ObjectNode start = NODES.objectNode().put("contentBlockIndex", index);
        start.putObject("start").putObject("toolUse")
            .put("toolUseId", F.text(block.get("id"), "content_block.id"))
            .put("name", F.text(block.get("name"), "content_block.name"));
        return List.of(event(ConverseEvent.CONTENT_BLOCK_START, start));
      }
      default -> throw F.fail("content_block.type", "unsupported block " + JsonFields.quote(type));
    }
  }

  private List<ConverseEvent> blockDelta(ObjectNode data) {
    openIndex(data);
    ObjectNode delta = F.object(data.get("delta"), "delta");
    String type = F.text(delta.get("type"), "delta.type");
    return switch (type) {
      case "text_delta" -> {
        expect(Block.TEXT, type);
        yield List.of(delta(NODES.objectNode().put("text", F.text(delta.get("text"), "delta.text"))));
      }
      case "input_json_delta" -> {
        expect(Block.TOOL_USE, type);
        ObjectNode converse = NODES.objectNode();
        converse.putObject("toolUse").put("input", F.text(delta.get("partial_json"), "delta.partial_json"));
        yield List.of(delta(converse));
      }
      case "thinking_delta" -> {
        expect(Block.THINKING, type);
        yield List.of(reasoningDelta("text", F.text(delta.get("thinking"), "delta.thinking")));
      }
      case "signature_delta" -> {
        expect(Block.THINKING, type);
        yield List.of(reasoningDelta("signature", F.text(delta.get("signature"), "delta.signature")));
      }
      default -> List.of(); // citations_delta, and delta types added later
    };
  }

  private List<ConverseEvent> blockStop(ObjectNode data) {
    int index = openIndex(data);
    List<ConverseEvent> events;
    if (openHasDelta) {
      events = List.of(stop(index));
    } else if (openBlock == Block.TEXT) {
      events = List.of(delta(NODES.objectNode().put("text", "")), stop(index));
    } else {
      events = List.of(reasoningDelta("text", ""), stop(index));
    }
    openBlock = null;
    openIndex = -1;
    return events;
  }

  private List<ConverseEvent> messageDelta(ObjectNode data) {
    JsonNode reason = data.path("delta").get("stop_reason");
    if (reason != null && reason.isTextual()) {
      stopReason = reason.textValue();
    }
    usage = ConverseUsage.fromAnthropic(data.get("usage"), usage);
    return List.of();
  }

  private List<ConverseEvent> messageStop() {
    if (openBlock != null) {
      throw F.fail("", "message_stop while block " + openIndex + " is open");
    }
    finished = true;
    ObjectNode metadata = NODES.objectNode();
    metadata.set("usage", ConverseUsage.toConverse(usage));
    metadata.putObject("metrics").put("latencyMs", latencyMs.getAsLong());
    return List.of(
        event(ConverseEvent.MESSAGE_STOP, NODES.objectNode().put("stopReason", StopReasons.fromAnthropic(stopReason))),
        event(ConverseEvent.METADATA, metadata));
  }

  private List<ConverseEvent> error(ObjectNode data) {
    finished = true;
    JsonNode error = data.path("error");
    String message = error.path("message").asText("");
    return List.of(ConverseEvent.exception(exceptionType(error.path("type").asText("")),
        message.isEmpty() ? "The upstream ended the stream with an error" : message));
  }

  /** Anthropic's error type to the ConverseStream exception a Bedrock client retries (or not) the same way. */
  private static String exceptionType(String anthropicType) {
    return switch (anthropicType) {
      case "overloaded_error" -> ConverseEvent.SERVICE_UNAVAILABLE;
      case "rate_limit_error" -> ConverseEvent.THROTTLING;
      case "invalid_request_error" -> ConverseEvent.VALIDATION;
      case "api_error" -> ConverseEvent.INTERNAL_SERVER_ERROR;
      default -> ConverseEvent.MODEL_STREAM_ERROR;
    };
  }

  private void expect(Block kind, String deltaType) {
    if (openBlock != kind) {
      throw F.fail("delta.type", JsonFields.quote(deltaType) + " in a " + openBlock.name().toLowerCase()
          + " block");
    }
  }

  /** The event's index, which must be the open block's. */
  private int openIndex(ObjectNode data) {
    int index = index(data);
    if (openBlock == null || index != openIndex) {
      throw F.fail("index", "block " + index + " is not open");
    }
    return index;
  }

  private static int index(ObjectNode data) {
    JsonNode index = data.get("index");
    if (index == null || !index.isIntegralNumber() || !index.canConvertToInt() || index.intValue() < 0) {
      throw F.fail("index", "must be a non-negative integer");
    }
    return index.intValue();
  }

  private ConverseEvent delta(ObjectNode converseDelta) {
    openHasDelta = true;
    ObjectNode payload = NODES.objectNode().put("contentBlockIndex", openIndex);
    payload.set("delta", converseDelta);
    return event(ConverseEvent.CONTENT_BLOCK_DELTA, payload);
  }

  private ConverseEvent reasoningDelta(String field, String value) {
    ObjectNode converse = NODES.objectNode();
    converse.putObject("reasoningContent").put(field, value);
    return delta(converse);
  }

  private static ConverseEvent stop(int index) {
    return event(ConverseEvent.CONTENT_BLOCK_STOP, NODES.objectNode().put("contentBlockIndex", index));
  }

  private static ConverseEvent event(String type, ObjectNode payload) {
    return new ConverseEvent(type, JsonFields.write(payload));
  }
}
