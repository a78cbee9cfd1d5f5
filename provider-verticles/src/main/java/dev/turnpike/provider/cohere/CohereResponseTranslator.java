package dev.turnpike.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;
import java.io.IOException;
import java.util.UUID;

/**
 * Cohere v2 chat response (whole, not streamed) to Anthropic {@code message}. Pure. The stop-reason, usage and
 * tool-argument rules here are shared with {@link CohereStreamTranslator}.
 *
 * <p>The answer's text comes first, then its {@code tool_plan} (the words Cohere puts before tool calls), then
 * the tool calls, which is the order a stream delivers them. Thinking content is dropped: an Anthropic thinking
 * block needs a signature, and a made-up one would be refused if the conversation later reaches Anthropic.
 * {@code ERROR} and {@code TIMEOUT} answers are failures, see {@link CohereErrorMapper#forFinishReason}.
 */
public final class CohereResponseTranslator {
  /** Wraps tool arguments that are not a JSON object, so the client's schema check reports them to the model. */
  static final String INVALID_ARGUMENTS_FIELD = "_invalid_json_arguments";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CohereResponseTranslator() {}

  public static ObjectNode toAnthropicMessage(JsonNode chatResponse, String clientModel, CohereToolNames names) {
    String messageId = messageId(chatResponse.path("id").asText(null));
    JsonNode message = chatResponse.path("message");
    ArrayNode content = NODES.arrayNode();
    JsonNode answer = message.path("content");
    if (answer.isTextual()) {
      addText(content, answer.asText());
    }
    for (JsonNode item : answer.isArray() ? answer : NODES.arrayNode()) {
      if ("text".equals(item.path("type").asText())) {
        addText(content, item.path("text").asText());
      }
    }
    addText(content, message.path("tool_plan").asText(""));
    int position = 0;
    for (JsonNode call : message.path("tool_calls")) {
      ObjectNode block = content.addObject();
      block.put("type", "tool_use");
      block.put("id", toolUseId(call.path("id").asText(null), messageId, position++));
      block.put("name", names.toAnthropic(call.path("function").path("name").asText()));
      block.set("input", parseArguments(call.path("function").path("arguments").asText(null)));
    }

    ObjectNode out = NODES.objectNode();
    out.put("id", messageId);
    out.put("type", "message");
    out.put("role", "assistant");
    out.put("model", clientModel);
    out.set("content", content);
    out.put("stop_reason", stopReason(chatResponse.path("finish_reason").asText(null), position > 0));
    out.putNull("stop_sequence"); // Cohere does not say which sequence matched
    out.set("usage", usageJson(usageOf(chatResponse.path("usage"))));
    return out;
  }

  /**
   * Cohere usage in Anthropic's accounting. {@code tokens} are what the model read and wrote (its prompt template
   * included), which is what a client's context tracking needs; {@code billed_units} (what Cohere invoices, often
   * far fewer input tokens) stand in only when {@code tokens} is missing. {@code cached_tokens} are the prompt
   * tokens served from Cohere's cache: cache reads, which Anthropic's {@code input_tokens} exclude.
   */
  public static Usage usageOf(JsonNode cohereUsage) {
    if (cohereUsage == null || !cohereUsage.isObject()) {
      return Usage.NONE;
    }
    JsonNode counts = cohereUsage.path("tokens").isObject() ? cohereUsage.path("tokens")
        : cohereUsage.path("billed_units");
    long input = Math.max(0, counts.path("input_tokens").asLong(0));
    long output = Math.max(0, counts.path("output_tokens").asLong(0));
    long cached = Math.min(Math.max(cohereUsage.path("cached_tokens").asLong(0), 0), input);
    return new Usage(input - cached, output, cached, 0);
  }

  /**
   * {@code COMPLETE} is {@code end_turn} (or {@code tool_use} when the answer calls tools: the client must still
   * run them); an unknown reason reads the same way.
   */
  static String stopReason(String finishReason, boolean toolUsed) {
    if (finishReason == null) {
      return toolUsed ? "tool_use" : "end_turn";
    }
    return switch (finishReason) {
      case "MAX_TOKENS" -> "max_tokens";
      case "STOP_SEQUENCE" -> "stop_sequence";
      case "TOOL_CALL" -> "tool_use";
      default -> toolUsed ? "tool_use" : "end_turn";
    };
  }

  static ObjectNode usageJson(Usage usage) {
    ObjectNode node = NODES.objectNode();
    node.put("input_tokens", usage.inputTokens());
    node.put("cache_creation_input_tokens", usage.cacheCreationTokens());
    node.put("cache_read_input_tokens", usage.cacheReadTokens());
    node.put("output_tokens", usage.outputTokens());
    return node;
  }

  static String messageId(String cohereId) {
    return "msg_" + (cohereId == null || cohereId.isEmpty()
        ? UUID.randomUUID().toString().replace("-", "") : cohereId);
  }

  /** A tool call without an id gets one derived from the message id, so its result can still be paired. */
  static String toolUseId(String cohereId, String messageId, int position) {
    if (cohereId != null && !cohereId.isEmpty()) {
      return cohereId;
    }
    return "toolu_" + messageId.substring("msg_".length()) + "_" + position;
  }

  /**
   * Arguments as an object: blank and {@code null} (what Cohere sends for a tool without parameters) are
   * {@code {}}; anything else that is not a JSON object is wrapped, never thrown.
   */
  static JsonNode parseArguments(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return NODES.objectNode();
    }
    try {
      JsonNode parsed = JSON.readTree(arguments);
      if (parsed != null && parsed.isObject()) {
        return parsed;
      }
      if (parsed == null || parsed.isNull()) {
        return NODES.objectNode();
      }
    } catch (IOException e) {
      // wrapped below
    }
    return NODES.objectNode().put(INVALID_ARGUMENTS_FIELD, arguments);
  }

  private static void addText(ArrayNode content, String text) {
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
  }
}
