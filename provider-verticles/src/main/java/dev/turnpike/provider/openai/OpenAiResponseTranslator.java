package dev.turnpike.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;
import java.io.IOException;
import java.util.UUID;

/**
 * OpenAI Chat Completion (whole, not streamed) to Anthropic {@code message}. Pure. The stop-reason and usage
 * rules here are shared with {@link OpenAiStreamTranslator}.
 *
 * <p>Reasoning text some compatible servers return ({@code reasoning_content}, {@code reasoning}) is dropped:
 * an Anthropic thinking block needs a signature, and a made-up one would be rejected if the conversation later
 * reaches Anthropic itself.
 */
public final class OpenAiResponseTranslator {
  /** Wraps tool arguments that are not a JSON object, so the client's schema check reports them to the model. */
  static final String INVALID_ARGUMENTS_FIELD = "_invalid_json_arguments";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OpenAiResponseTranslator() {}

  public static ObjectNode toAnthropicMessage(JsonNode chatCompletion, String clientModel, ToolNameMapper names) {
    String messageId = messageId(chatCompletion.path("id").asText(null));
    JsonNode choice = chatCompletion.path("choices").path(0);
    JsonNode message = choice.path("message");

    ArrayNode content = NODES.arrayNode();
    addText(content, message.path("content"));
    addText(content, message.path("refusal"));
    int position = 0;
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      addToolUse(content, call.path("id").asText(null), function, names, messageId, position++);
    }
    if (message.path("function_call").isObject()) {
      addToolUse(content, null, message.path("function_call"), names, messageId, position);
    }
    boolean toolUsed = position > 0 || message.path("function_call").isObject();

    ObjectNode out = NODES.objectNode();
    out.put("id", messageId);
    out.put("type", "message");
    out.put("role", "assistant");
    out.put("model", clientModel);
    out.set("content", content);
    String matchedStop = matchedStopSequence(choice);
    String stopReason = stopReason(choice.path("finish_reason").asText(null), toolUsed, matchedStop);
    out.put("stop_reason", stopReason);
    out.put("stop_sequence", "stop_sequence".equals(stopReason) ? matchedStop : null);
    out.set("usage", usageJson(usageOf(chatCompletion.path("usage"))));
    return out;
  }

  /**
   * OpenAI usage in Anthropic's accounting: {@code cached_tokens} are cache reads, and Anthropic's
   * {@code input_tokens} exclude them. DeepSeek reports cache hits as {@code prompt_cache_hit_tokens}.
   */
  public static Usage usageOf(JsonNode chatCompletionUsage) {
    if (chatCompletionUsage == null || !chatCompletionUsage.isObject()) {
      return Usage.NONE;
    }
    long prompt = chatCompletionUsage.path("prompt_tokens").asLong(0);
    long completion = chatCompletionUsage.path("completion_tokens").asLong(0);
    JsonNode cachedNode = chatCompletionUsage.path("prompt_tokens_details").path("cached_tokens");
    long cached = cachedNode.isNumber() ? cachedNode.asLong()
        : chatCompletionUsage.path("prompt_cache_hit_tokens").asLong(0);
    cached = Math.min(Math.max(cached, 0), prompt);
    return new Usage(prompt - cached, completion, cached, 0);
  }

  /**
   * {@code content_filter} maps to {@code refusal}, Anthropic's stop reason for declined output. Some servers
   * answer {@code stop} with tool calls; the client must still run them, so that is {@code tool_use}.
   */
  static String stopReason(String finishReason, boolean toolUsed, String matchedStop) {
    if (finishReason == null) {
      return toolUsed ? "tool_use" : "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      case "stop" -> toolUsed ? "tool_use" : matchedStop != null ? "stop_sequence" : "end_turn";
      default -> toolUsed ? "tool_use" : "end_turn";
    };
  }

  /**
   * OpenAI does not say which stop sequence fired; vLLM ({@code stop_reason}) and SGLang ({@code matched_stop})
   * do, as a string. A number there is a stop token id, not a sequence.
   */
  static String matchedStopSequence(JsonNode choice) {
    for (String field : new String[] {"stop_reason", "matched_stop"}) {
      JsonNode value = choice.path(field);
      if (value.isTextual() && !value.asText().isEmpty()) {
        return value.asText();
      }
    }
    return null;
  }

  static ObjectNode usageJson(Usage usage) {
    ObjectNode node = NODES.objectNode();
    node.put("input_tokens", usage.inputTokens());
    node.put("cache_creation_input_tokens", usage.cacheCreationTokens());
    node.put("cache_read_input_tokens", usage.cacheReadTokens());
    node.put("output_tokens", usage.outputTokens());
    return node;
  }

  static String messageId(String openAiId) {
    if (openAiId == null || openAiId.isEmpty()) {
      return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
    return "msg_" + (openAiId.startsWith("chatcmpl-") ? openAiId.substring("chatcmpl-".length()) : openAiId);
  }

  /** A tool call without an id (some compatible servers omit it) gets one derived from the message id. */
  static String toolUseId(String openAiId, String messageId, int position) {
    if (openAiId != null && !openAiId.isEmpty()) {
      return openAiId;
    }
    return "toolu_" + messageId.substring("msg_".length()) + "_" + position;
  }

  /** Arguments as an object: blank is {@code {}}; anything not a JSON object is wrapped, never thrown. */
  static JsonNode parseArguments(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return NODES.objectNode();
    }
    try {
      JsonNode parsed = JSON.readTree(arguments);
      if (parsed != null && parsed.isObject()) {
        return parsed;
      }
    } catch (IOException e) {
      // wrapped below
    }
    return NODES.objectNode().put(INVALID_ARGUMENTS_FIELD, arguments);
  }

  /** Content is a string; a few compatible servers send an array of {@code text} parts instead. */
  private static void addText(ArrayNode content, JsonNode text) {
    if (text.isTextual() && !text.asText().isEmpty()) {
      content.addObject().put("type", "text").put("text", text.asText());
    }
    for (JsonNode part : text.isArray() ? text : NODES.arrayNode()) {
      if ("text".equals(part.path("type").asText())) {
        addText(content, part.path("text"));
      }
    }
  }

  private static void addToolUse(ArrayNode content, String id, JsonNode function, ToolNameMapper names,
                                 String messageId, int position) {
    ObjectNode block = content.addObject();
    block.put("type", "tool_use");
    block.put("id", toolUseId(id, messageId, position));
    block.put("name", names.toAnthropic(function.path("name").asText()));
    JsonNode arguments = function.path("arguments");
    block.set("input", arguments.isObject() ? arguments : parseArguments(arguments.asText(null)));
  }
}
