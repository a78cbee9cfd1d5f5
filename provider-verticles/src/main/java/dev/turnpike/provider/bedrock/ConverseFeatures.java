package dev.turnpike.provider.bedrock;

/**
 * The parts of a Converse request that only some models accept; Bedrock refuses the others with a
 * ValidationException ("This model doesn't support the toolConfig.toolChoice.any field"), so the translator leaves
 * out what the model cannot take. Derived from the vendor's model id; an id that names no vendor (an application
 * inference profile) gets none of them.
 *
 * @param cachePoints {@code cachePoint} blocks in system and messages (prompt caching: Anthropic Claude and Amazon
 *     Nova)
 * @param toolCachePoints {@code cachePoint} entries among the tools and after tool results (Anthropic Claude only;
 *     Nova caches system and message content)
 * @param forcedToolChoice {@code toolChoice} {@code any} and {@code tool} (Anthropic Claude and Amazon Nova);
 *     without it only the default, {@code auto}, is sent
 * @param toolResultStatus {@code toolResult.status} ("only supported by Amazon Nova and Anthropic Claude 3 and 4
 *     models"); without it an error result is marked in its text
 * @param anthropicFields Anthropic's own body fields in {@code additionalModelRequestFields} ({@code thinking},
 *     {@code top_k}, {@code anthropic_beta}), and thinking blocks sent back as reasoning
 */
public record ConverseFeatures(boolean cachePoints, boolean toolCachePoints, boolean forcedToolChoice,
                               boolean toolResultStatus, boolean anthropicFields) {
  public static final ConverseFeatures NONE = new ConverseFeatures(false, false, false, false, false);

  public static ConverseFeatures of(String modelId) {
    String base = BedrockApi.baseModelId(modelId);
    if (base.startsWith("anthropic.")) {
      return new ConverseFeatures(true, true, true, true, true);
    }
    if (base.startsWith("amazon.nova")) {
      return new ConverseFeatures(true, false, true, true, false);
    }
    return NONE;
  }
}
