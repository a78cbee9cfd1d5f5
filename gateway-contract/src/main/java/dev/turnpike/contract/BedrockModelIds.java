package dev.turnpike.contract;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading Bedrock's model ids: a vendor's id ({@code anthropic.claude-...}, {@code meta.llama...}), optionally behind
 * the geography of a cross-region inference profile ({@code us.}, {@code eu.}, {@code apac.}, ...). One place for
 * the router (which provider a bare id names) and the Bedrock dialect (which API serves it).
 */
public final class BedrockModelIds {
  /** The geographies of Bedrock's cross-region inference profiles. */
  private static final Pattern REGION_PREFIX = Pattern.compile("^(?:us|eu|apac|us-gov|global|jp|au|ca)\\.(.+)$");
  private static final String ANTHROPIC = "anthropic.";

  private BedrockModelIds() {}

  /** {@code id} without its cross-region prefix, as given otherwise. */
  public static String withoutRegion(String id) {
    Matcher prefixed = REGION_PREFIX.matcher(id);
    return prefixed.matches() ? prefixed.group(1) : id;
  }

  /** Whether lower-case {@code id} names one of Anthropic's models on Bedrock (with or without a geography). */
  public static boolean isAnthropic(String id) {
    String vendorId = withoutRegion(id);
    return vendorId.startsWith(ANTHROPIC) && vendorId.length() > ANTHROPIC.length();
  }
}
