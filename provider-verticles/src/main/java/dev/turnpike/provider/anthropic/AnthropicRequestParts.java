package dev.turnpike.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What every translator reads the same way out of an Anthropic Messages request, whatever it translates it to. */
public final class AnthropicRequestParts {
  /**
   * The first system block Claude Code sends: Anthropic billing attribution, meaningless to another vendor, whose
   * value changes with every CLI build, so as the first bytes of a prompt it would defeat prompt caching.
   */
  private static final String BILLING_HEADER = "x-anthropic-billing-header:";

  private AnthropicRequestParts() {}

  public static boolean isBillingHeader(String systemText) {
    return systemText.startsWith(BILLING_HEADER);
  }

  /**
   * A {@code system} value (a string, or text blocks) as one text, blocks joined by a blank line; empty blocks and
   * other block types are left out, and the billing header too when {@code dropBillingHeader}.
   */
  public static String systemText(JsonNode system, boolean dropBillingHeader) {
    if (system.isTextual()) {
      return system.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : system) {
      String blockText = block.path("text").asText();
      if (!"text".equals(block.path("type").asText()) || blockText.isEmpty()
          || (dropBillingHeader && isBillingHeader(blockText))) {
        continue;
      }
      if (!text.isEmpty()) {
        text.append("\n\n");
      }
      text.append(blockText);
    }
    return text.toString();
  }

  /** {@code block} without its {@code cache_control} (a copy when it had one): no other vendor takes the field. */
  public static JsonNode withoutCacheControl(JsonNode block) {
    if (!block.isObject() || !block.has("cache_control")) {
      return block;
    }
    ObjectNode copy = ((ObjectNode) block).deepCopy();
    copy.remove("cache_control");
    return copy;
  }
}
