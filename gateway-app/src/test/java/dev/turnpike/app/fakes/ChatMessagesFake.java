package dev.turnpike.app.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The fakes whose clients send Chat Completions-shaped messages (OpenAI, Azure OpenAI, Cohere v2): function tools
 * in {@code tools[].function}, calls answered by {@code role: tool} messages quoting {@code tool_call_id}. Each
 * subclass speaks its own wire format; this is only the default script's view of a request and the shared pieces.
 */
public abstract class ChatMessagesFake<SELF extends ChatMessagesFake<SELF>> extends FakeUpstream<SELF> {
  protected ChatMessagesFake(Vertx vertx) {
    super(vertx);
  }

  /** An SSE frame of data only, as Chat Completions streams are written. */
  protected static Buffer dataFrame(JsonObject json) {
    return Buffer.buffer("data: " + json.encode() + "\n\n");
  }

  /** The stream's last frame, {@code data: [DONE]}, in all three APIs. */
  protected static Buffer doneFrame() {
    return Buffer.buffer("data: [DONE]\n\n");
  }

  /** A function call as these APIs write one: {@code {"id", "type": "function", "function": {"name", "arguments"}}}. */
  protected static JsonObject functionCall(String id, String name, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  @Override
  protected String bashToolName(JsonObject request) {
    for (Object o : request.getJsonArray("tools", new JsonArray())) {
      if (o instanceof JsonObject t && t.getJsonObject("function") != null
          && "bash".equalsIgnoreCase(t.getJsonObject("function").getString("name"))) {
        return t.getJsonObject("function").getString("name");
      }
    }
    return null;
  }

  @Override
  protected boolean toolResultAfterLastAssistant(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    for (int i = messages.size() - 1; i >= 0; i--) {
      String role = messages.getJsonObject(i).getString("role");
      if ("assistant".equals(role)) {
        return false;
      }
      if ("tool".equals(role)) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected boolean containsToolResultFor(JsonObject request, String toolCallId) {
    for (Object o : request.getJsonArray("messages", new JsonArray())) {
      if (o instanceof JsonObject m && "tool".equals(m.getString("role"))
          && toolCallId.equals(m.getString("tool_call_id"))) {
        return true;
      }
    }
    return false;
  }
}
