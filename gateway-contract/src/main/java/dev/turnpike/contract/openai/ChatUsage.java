package dev.turnpike.contract.openai;

import static dev.turnpike.contract.openai.ChatJson.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;

/**
 * Token counts from Anthropic's {@code usage} to OpenAI's {@code CompletionUsage}. Anthropic's
 * {@code input_tokens} leaves out cache reads and writes; OpenAI's {@code prompt_tokens} counts the whole prompt,
 * with the cached part in {@code prompt_tokens_details.cached_tokens} (and the part written to the cache in
 * {@code cache_write_tokens}). So {@code prompt_tokens} adds all three.
 */
final class ChatUsage {
  private ChatUsage() {}

  /** {@code base} updated by the counts present in Anthropic's {@code usage} object (a stream sends them twice). */
  static Usage fromAnthropic(JsonNode usage, Usage base) {
    if (usage == null || !usage.isObject()) {
      return base;
    }
    return new Usage(
        count(usage, "input_tokens", base.inputTokens()),
        count(usage, "output_tokens", base.outputTokens()),
        count(usage, "cache_read_input_tokens", base.cacheReadTokens()),
        count(usage, "cache_creation_input_tokens", base.cacheCreationTokens()));
  }

  static ObjectNode toOpenAi(Usage usage) {
    long prompt = usage.inputTokens() + usage.cacheReadTokens() + usage.cacheCreationTokens();
    ObjectNode out = NODES.objectNode()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", usage.outputTokens())
        .put("total_tokens", prompt + usage.outputTokens());
    out.putObject("prompt_tokens_details")
        .put("cached_tokens", usage.cacheReadTokens())
        .put("cache_write_tokens", usage.cacheCreationTokens());
    return out;
  }

  private static long count(JsonNode usage, String field, long otherwise) {
    JsonNode value = usage.get(field);
    return value != null && value.isIntegralNumber() && value.canConvertToLong() ? Math.max(0, value.longValue())
        : otherwise;
  }
}
