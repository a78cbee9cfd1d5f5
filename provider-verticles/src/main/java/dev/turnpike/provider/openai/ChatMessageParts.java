package dev.turnpike.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.UnaryOperator;

/**
 * Pieces of a Chat Completions-shaped request, built from an Anthropic one: OpenAI's, and Cohere v2's, which takes
 * the same messages, content parts and function tools. {@code upstreamName} maps a tool's name to the one sent.
 */
public final class ChatMessageParts {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ChatMessageParts() {}

  /** {@code {"role", "content": text}}. */
  public static ObjectNode textMessage(String role, String text) {
    ObjectNode message = NODES.objectNode();
    message.put("role", role);
    message.put("content", text);
    return message;
  }

  /** {@code {"type": "text", "text"}}. */
  public static ObjectNode textPart(String text) {
    ObjectNode part = NODES.objectNode();
    part.put("type", "text");
    part.put("text", text);
    return part;
  }

  /** An assistant {@code tool_use} block as a {@code tool_calls} entry, its input as JSON-encoded arguments. */
  public static ObjectNode functionCall(JsonNode toolUse, UnaryOperator<String> upstreamName) {
    ObjectNode call = NODES.objectNode();
    call.put("id", toolUse.path("id").asText());
    call.put("type", "function");
    ObjectNode function = call.putObject("function");
    function.put("name", upstreamName.apply(toolUse.path("name").asText()));
    JsonNode input = toolUse.path("input");
    function.put("arguments", input.isObject() ? input.toString() : "{}");
    return call;
  }

  /** The client's own tools as function tools; server tools are left out (they run on Anthropic's side only). */
  public static ArrayNode functionTools(JsonNode tools, UnaryOperator<String> upstreamName) {
    ArrayNode out = NODES.arrayNode();
    for (JsonNode tool : tools) {
      if (!"custom".equals(tool.path("type").asText("custom"))) {
        continue; // web_search_..., code_execution_...
      }
      ObjectNode function = out.addObject().put("type", "function").putObject("function");
      function.put("name", upstreamName.apply(tool.path("name").asText()));
      if (tool.path("description").isTextual()) {
        function.put("description", tool.path("description").asText());
      }
      JsonNode schema = tool.path("input_schema");
      if (schema.isObject()) {
        function.set("parameters", schema.deepCopy());
      } else {
        function.putObject("parameters").put("type", "object").putObject("properties");
      }
    }
    return out;
  }

  /** The first {@code max} strings of {@code values} (stop sequences beyond what the upstream accepts are dropped). */
  public static ArrayNode firstStrings(JsonNode values, int max) {
    ArrayNode out = NODES.arrayNode();
    for (JsonNode value : values) {
      if (value.isTextual() && out.size() < max) {
        out.add(value.asText());
      }
    }
    return out;
  }
}
