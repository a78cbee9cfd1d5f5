package dev.turnpike.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.openai.ToolNameMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * A Bedrock Converse response to an Anthropic {@code message}. Pure. The block, stop-reason and usage rules here are
 * shared with {@link ConverseStreamToAnthropic}.
 *
 * <p>Blocks: {@code text} as text, {@code toolUse} as {@code tool_use} (its name mapped back), reasoning text as
 * {@code thinking} with the model's signature ({@code ""} when the model signs none, as Llama-family and DeepSeek
 * models do), {@code redactedContent} as {@code redacted_thinking} (the blob's bytes are Anthropic's opaque string),
 * {@code citationsContent} as its text. Images and anything else Anthropic's message cannot hold are dropped.
 */
public final class ConverseToAnthropic {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ConverseToAnthropic() {}

  /**
   * @param messageId the Anthropic message id to report (Converse answers carry none)
   * @throws IllegalArgumentException when {@code converse} holds no {@code output.message.content} list
   */
  public static ObjectNode message(JsonNode converse, String clientModel, ToolNameMapper names, String messageId) {
    JsonNode blocks = converse.path("output").path("message").path("content");
    if (!blocks.isArray()) {
      throw new IllegalArgumentException("the answer has no output.message.content");
    }
    ArrayNode content = NODES.arrayNode();
    boolean toolUsed = false;
    for (JsonNode block : blocks) {
      if (block.has("text")) {
        addText(content, block.path("text").asText(""));
      } else if (block.path("toolUse").isObject()) {
        JsonNode toolUse = block.path("toolUse");
        ObjectNode out = content.addObject().put("type", "tool_use")
            .put("id", toolUse.path("toolUseId").asText())
            .put("name", names.toAnthropic(toolUse.path("name").asText()));
        out.set("input", toolUse.path("input").isObject() ? toolUse.path("input") : NODES.objectNode());
        toolUsed = true;
      } else if (block.path("reasoningContent").isObject()) {
        ObjectNode thinking = thinking(block.path("reasoningContent"));
        if (thinking != null) {
          content.add(thinking);
        }
      } else if (block.path("citationsContent").isObject()) {
        for (JsonNode generated : block.path("citationsContent").path("content")) {
          addText(content, generated.path("text").asText(""));
        }
      }
    }
    ObjectNode out = NODES.objectNode();
    out.put("id", messageId);
    out.put("type", "message");
    out.put("role", "assistant");
    out.put("model", clientModel);
    out.set("content", content);
    out.put("stop_reason", stopReason(converse.path("stopReason").asText(null), toolUsed));
    out.putNull("stop_sequence"); // Converse does not say which sequence matched
    out.set("usage", usageJson(usageOf(converse.path("usage"))));
    return out;
  }

  /** A fresh Anthropic-style message id. */
  public static String newMessageId() {
    return "msg_bdrk_" + UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * Converse's {@code TokenUsage} in Anthropic's accounting. Both count input without the cache ({@code inputTokens}
   * excludes {@code cacheReadInputTokens} and {@code cacheWriteInputTokens}), so the numbers carry over.
   */
  public static Usage usageOf(JsonNode tokenUsage) {
    if (tokenUsage == null || !tokenUsage.isObject()) {
      return Usage.NONE;
    }
    return new Usage(count(tokenUsage, "inputTokens"), count(tokenUsage, "outputTokens"),
        count(tokenUsage, "cacheReadInputTokens"), count(tokenUsage, "cacheWriteInputTokens"));
  }

  /**
   * The shared reasons keep their names. A guardrail or content filter stopping the answer is Anthropic's
   * {@code refusal}. {@code malformed_model_output} and {@code malformed_tool_use} end the turn: what arrived is all
   * there is. A turn that used a tool ends in {@code tool_use} whatever the model said, so the client runs it.
   */
  static String stopReason(String converseStopReason, boolean toolUsed) {
    String reason = converseStopReason == null ? "" : converseStopReason;
    return switch (reason) {
      case "max_tokens", "stop_sequence", "model_context_window_exceeded" -> reason;
      case "guardrail_intervened", "content_filtered" -> "refusal";
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

  /** A reasoning block as {@code thinking} or {@code redacted_thinking}; null when it holds neither. */
  private static ObjectNode thinking(JsonNode reasoning) {
    JsonNode text = reasoning.path("reasoningText");
    if (text.isObject()) {
      return NODES.objectNode().put("type", "thinking").put("thinking", text.path("text").asText(""))
          .put("signature", text.path("signature").asText(""));
    }
    String data = redactedData(reasoning.path("redactedContent").asText(null));
    return data == null ? null : NODES.objectNode().put("type", "redacted_thinking").put("data", data);
  }

  /** Anthropic's opaque string from Converse's base64 blob; null when it is not base64 of UTF-8 text. */
  static String redactedData(String blob) {
    if (blob == null || blob.isEmpty()) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Base64.getDecoder().decode(blob))).toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return null;
    }
  }

  private static void addText(ArrayNode content, String text) {
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
  }

  private static long count(JsonNode usage, String field) {
    JsonNode value = usage.path(field);
    return value.isIntegralNumber() ? Math.max(0, value.asLong()) : 0;
  }
}
