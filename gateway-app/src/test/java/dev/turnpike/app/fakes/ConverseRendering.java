package dev.turnpike.app.fakes;

import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import dev.turnpike.contract.eventstream.EventStreamEncoder;
import dev.turnpike.contract.eventstream.EventStreamMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Reply} in Bedrock's Converse wire form, for the fake: a whole {@code ConverseResponse}, or the
 * ConverseStream events as AWS event-stream messages ({@code :event-type} the event's name, the payload its JSON
 * with Bedrock's {@code "p"} padding). Text arrives in small deltas, tool input in fragments, reasoning as text
 * deltas then its signature; an error inside a started stream is an {@code exception} message, and the stream ends.
 */
final class ConverseRendering {
  private static final String PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0";

  private ConverseRendering() {}

  static JsonObject response(Reply reply, int inputTokens) {
    JsonArray content = new JsonArray();
    for (Reply.Block block : reply.blocks()) {
      if (block instanceof Reply.Text t) {
        content.add(new JsonObject().put("text", t.text()));
      } else if (block instanceof Reply.ToolCall c) {
        content.add(new JsonObject().put("toolUse", new JsonObject().put("toolUseId", c.id()).put("name", c.name())
            .put("input", c.arguments())));
      } else if (block instanceof Reply.Thinking th) {
        content.add(new JsonObject().put("reasoningContent", new JsonObject().put("reasoningText",
            new JsonObject().put("text", th.thinking()).put("signature", th.signature()))));
      }
    }
    return new JsonObject()
        .put("output", new JsonObject().put("message", new JsonObject().put("role", "assistant")
            .put("content", content)))
        .put("stopReason", reply.hasToolCall() ? "tool_use" : "end_turn")
        .put("usage", usage(inputTokens, reply.estimatedOutputTokens()))
        .put("metrics", new JsonObject().put("latencyMs", 42));
  }

  /** One event-stream message per ConverseStream event, so fault cuts "after N events" count them. */
  static List<Buffer> stream(Reply reply, int inputTokens) {
    List<Buffer> frames = new ArrayList<>();
    frames.add(event("messageStart", new JsonObject().put("role", "assistant")));
    int index = 0;
    for (Reply.Block block : reply.blocks()) {
      if (block instanceof Reply.StreamError e) {
        frames.add(BedrockStreamEvents.exception(exceptionFor(e.type()), e.message()));
        return frames;
      }
      if (block instanceof Reply.Text t) {
        for (String piece : FakeUpstream.fragments(t.text(), 6)) {
          frames.add(delta(index, new JsonObject().put("text", piece)));
        }
      } else if (block instanceof Reply.ToolCall c) {
        frames.add(event("contentBlockStart", new JsonObject().put("contentBlockIndex", index)
            .put("start", new JsonObject().put("toolUse", new JsonObject().put("toolUseId", c.id())
                .put("name", c.name())))));
        for (String piece : FakeUpstream.fragments(c.arguments().encode(), 12)) {
          frames.add(delta(index, new JsonObject().put("toolUse", new JsonObject().put("input", piece))));
        }
      } else if (block instanceof Reply.Thinking th) {
        for (String piece : FakeUpstream.fragments(th.thinking(), 16)) {
          frames.add(delta(index, new JsonObject().put("reasoningContent", new JsonObject().put("text", piece))));
        }
        frames.add(delta(index, new JsonObject().put("reasoningContent",
            new JsonObject().put("signature", th.signature()))));
      }
      frames.add(event("contentBlockStop", new JsonObject().put("contentBlockIndex", index)));
      index++;
    }
    frames.add(event("messageStop", new JsonObject().put("stopReason", reply.hasToolCall() ? "tool_use"
        : "end_turn")));
    frames.add(event("metadata", new JsonObject().put("usage", usage(inputTokens, reply.estimatedOutputTokens()))
        .put("metrics", new JsonObject().put("latencyMs", 42))));
    return frames;
  }

  private static Buffer delta(int index, JsonObject delta) {
    return event("contentBlockDelta", new JsonObject().put("contentBlockIndex", index).put("delta", delta));
  }

  private static Buffer event(String type, JsonObject payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(BedrockStreamEvents.EVENT_TYPE, type);
    headers.put(BedrockStreamEvents.CONTENT_TYPE, "application/json");
    headers.put(BedrockStreamEvents.MESSAGE_TYPE, "event");
    // Bedrock pads every payload to hide the length of what it carries; clients ignore the field.
    payload.put("p", PADDING.substring(0, 1 + payload.encode().length() % PADDING.length()));
    return EventStreamEncoder.encode(new EventStreamMessage(headers, payload.toBuffer()));
  }

  private static JsonObject usage(int input, int output) {
    return new JsonObject().put("inputTokens", input).put("outputTokens", output).put("totalTokens", input + output);
  }

  private static String exceptionFor(String anthropicType) {
    return switch (anthropicType) {
      case "overloaded_error" -> "serviceUnavailableException";
      case "rate_limit_error" -> "throttlingException";
      default -> "modelStreamErrorException";
    };
  }
}
