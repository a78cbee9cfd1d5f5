package dev.turnpike.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.openai.ToolNameMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gemini {@code GenerateContentResponse} (whole, not streamed) to Anthropic {@code message}. Pure. The rules for
 * parts, stop reasons, usage and tool ids here are shared with {@link GeminiStreamTranslator}.
 *
 * <ul>
 *   <li>Only the first candidate is read (the request never asks for more). Parts become blocks in order:
 *   {@code thought: true} text is a {@code thinking} block (with an empty signature: Gemini's signatures travel
 *   in tool ids), other text a {@code text} block, a {@code functionCall} a {@code tool_use} block whose id
 *   carries the part's {@code thoughtSignature} and call id ({@link GeminiToolIds}). Empty text, a
 *   signature-only part and parts of tools the request never enables (code execution) are skipped.</li>
 *   <li>{@code finishReason}: {@code STOP} is {@code end_turn}, or {@code tool_use} when the answer calls
 *   tools; {@code MAX_TOKENS} is {@code max_tokens}; safety, recitation, blocklist, prohibited content,
 *   SPII and language stops are {@code refusal}; anything else (a malformed function call, too many tool
 *   calls, {@code OTHER}) ends the turn. Every stop but {@code STOP} and {@code MAX_TOKENS}, and a blocked
 *   prompt, adds a text block saying what Gemini reported, so the user sees why the answer is cut.</li>
 *   <li>Usage: {@code promptTokenCount} includes the cached tokens, Anthropic's {@code input_tokens} do not;
 *   thinking tokens are output, billed as such; tokens of tool-use prompts are input.</li>
 * </ul>
 */
public final class GeminiResponseTranslator {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> REFUSALS = Set.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT",
      "SPII", "LANGUAGE", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION");

  private GeminiResponseTranslator() {}

  public static ObjectNode toAnthropicMessage(JsonNode response, String clientModel, ToolNameMapper names) {
    String responseId = response.path("responseId").asText(null);
    JsonNode candidate = response.path("candidates").path(0);
    ArrayNode content = NODES.arrayNode();
    int calls = 0;
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        JsonNode call = part.path("functionCall");
        content.addObject().put("type", "tool_use")
            .put("id", toolUseId(part, responseId, calls++))
            .put("name", names.toAnthropic(call.path("name").asText()))
            .set("input", call.path("args").isObject() ? call.path("args") : NODES.objectNode());
      } else if (isText(part)) {
        boolean thought = part.path("thought").asBoolean(false);
        String type = thought ? "thinking" : "text";
        JsonNode last = content.isEmpty() ? null : content.get(content.size() - 1);
        if (last != null && type.equals(last.path("type").asText())) {
          ((ObjectNode) last).put(type, last.path(type).asText() + part.path("text").asText());
        } else if (thought) {
          content.addObject().put("type", "thinking").put("thinking", part.path("text").asText()).put("signature", "");
        } else {
          content.addObject().put("type", "text").put("text", part.path("text").asText());
        }
      }
    }
    String finishReason = candidate.path("finishReason").asText(null);
    String blockReason = response.path("promptFeedback").path("blockReason").asText(null);
    String note = note(finishReason, candidate.path("finishMessage").asText(null), blockReason,
        response.path("promptFeedback").path("blockReasonMessage").asText(null));
    if (note != null) {
      content.addObject().put("type", "text").put("text", note);
    }
    ObjectNode out = NODES.objectNode();
    out.put("id", messageId(responseId));
    out.put("type", "message");
    out.put("role", "assistant");
    out.put("model", clientModel);
    out.set("content", content);
    out.put("stop_reason", stopReason(finishReason, blockReason, calls > 0));
    out.putNull("stop_sequence");
    out.set("usage", usageJson(usageOf(response.path("usageMetadata"))));
    return out;
  }

  /** A part with text to show: not empty (Gemini sends signature-only parts with empty text). */
  static boolean isText(JsonNode part) {
    return part.path("text").isTextual() && !part.path("text").asText().isEmpty();
  }

  /** Anthropic's accounting of Gemini's {@code usageMetadata}; {@link Usage#NONE} when there is none. */
  public static Usage usageOf(JsonNode usageMetadata) {
    if (usageMetadata == null || !usageMetadata.isObject()) {
      return Usage.NONE;
    }
    long prompt = usageMetadata.path("promptTokenCount").asLong(0);
    long cached = Math.min(Math.max(usageMetadata.path("cachedContentTokenCount").asLong(0), 0), prompt);
    long toolPrompt = usageMetadata.path("toolUsePromptTokenCount").asLong(0);
    long output = usageMetadata.path("candidatesTokenCount").asLong(0)
        + usageMetadata.path("thoughtsTokenCount").asLong(0);
    return new Usage(prompt - cached + toolPrompt, output, cached, 0);
  }

  static String stopReason(String finishReason, String blockReason, boolean toolUsed) {
    if (blockReason != null && finishReason == null) {
      return "refusal";
    }
    if ("MAX_TOKENS".equals(finishReason)) {
      return "max_tokens";
    }
    if (finishReason != null && REFUSALS.contains(finishReason)) {
      return "refusal";
    }
    return toolUsed ? "tool_use" : "end_turn";
  }

  /** What to tell the user when Gemini stopped for a reason of its own; null for a normal stop. */
  static String note(String finishReason, String finishMessage, String blockReason, String blockMessage) {
    if (blockReason != null && finishReason == null) {
      return "[Gemini blocked the prompt: " + blockReason + (blockMessage == null ? "" : " - " + blockMessage) + "]";
    }
    if (finishReason == null || "STOP".equals(finishReason) || "MAX_TOKENS".equals(finishReason)) {
      return null;
    }
    return "[Gemini stopped: " + finishReason + (finishMessage == null ? "" : " - " + finishMessage) + "]";
  }

  static ObjectNode usageJson(Usage usage) {
    ObjectNode node = NODES.objectNode();
    node.put("input_tokens", usage.inputTokens());
    node.put("cache_creation_input_tokens", usage.cacheCreationTokens());
    node.put("cache_read_input_tokens", usage.cacheReadTokens());
    node.put("output_tokens", usage.outputTokens());
    return node;
  }

  static String messageId(String responseId) {
    if (responseId == null || responseId.isEmpty()) {
      return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
    return "msg_" + responseId.replaceAll("[^A-Za-z0-9_-]", "");
  }

  /**
   * The {@code tool_use} id of the {@code position}th call of an answer: unique (derived from the response id,
   * random without one) and carrying the part's signature and call id.
   */
  static String toolUseId(JsonNode part, String responseId, int position) {
    long nonce = responseId == null || responseId.isEmpty() ? ThreadLocalRandom.current().nextLong()
        : nonce(responseId + "#" + position);
    return GeminiToolIds.encode(nonce, part.path("functionCall").path("id").asText(null),
        part.path("thoughtSignature").asText(null));
  }

  private static long nonce(String seed) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
