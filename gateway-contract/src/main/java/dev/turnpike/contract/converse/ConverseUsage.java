package dev.turnpike.contract.converse;

import static dev.turnpike.contract.converse.JsonFields.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;

/**
 * Token counts between Anthropic's {@code usage} and Converse's {@code TokenUsage}. Both count input without the
 * cache: Anthropic's {@code input_tokens} excludes cache reads and writes, as Converse's {@code inputTokens} does,
 * so the numbers pass through and {@code totalTokens} adds all four.
 */
final class ConverseUsage {
  private ConverseUsage() {}

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

  static ObjectNode toConverse(Usage usage) {
    return NODES.objectNode()
        .put("inputTokens", usage.inputTokens())
        .put("outputTokens", usage.outputTokens())
        .put("totalTokens", usage.inputTokens() + usage.outputTokens() + usage.cacheReadTokens()
            + usage.cacheCreationTokens())
        .put("cacheReadInputTokens", usage.cacheReadTokens())
        .put("cacheWriteInputTokens", usage.cacheCreationTokens());
  }

  private static long count(JsonNode usage, String field, long otherwise) {
    JsonNode value = usage.get(field);
    return value != null && value.canConvertToLong() && value.isIntegralNumber() ? Math.max(0, value.longValue())
        : otherwise;
  }
}
