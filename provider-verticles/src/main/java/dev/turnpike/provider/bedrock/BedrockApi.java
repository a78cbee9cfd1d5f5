package dev.turnpike.provider.bedrock;

import dev.turnpike.contract.BedrockModelIds;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Bedrock runtime API serves a model id. Anthropic's models take their own Messages body through InvokeModel
 * (every byte of the client's request survives); every other model is called through Converse, Bedrock's one
 * request shape for all chat models, translated both ways.
 *
 * <p>The rule, in order:
 * <ol>
 *   <li>an id the provider lists in {@code converse_models} uses Converse;</li>
 *   <li>a model id is Anthropic's when it starts with {@code anthropic.}, after a cross-region prefix if it has
 *   one ({@code us.}, {@code eu.}, {@code apac.}, {@code us-gov.}, {@code global.}, {@code jp.}, {@code au.},
 *   {@code ca.}: {@code us.anthropic.claude-...});</li>
 *   <li>an ARN of a {@code foundation-model} or an {@code inference-profile} is judged by the id after the
 *   {@code /}; any other ARN (application inference profiles, provisioned, custom or imported models) names no
 *   vendor and keeps InvokeModel, which is what Claude Code's Bedrock mode sends such ARNs for;</li>
 *   <li>everything else ({@code meta.llama...}, {@code us.amazon.nova-pro-v1:0}, {@code mistral...}) uses
 *   Converse.</li>
 * </ol>
 */
public enum BedrockApi {
  INVOKE_MODEL,
  CONVERSE;

  private static final Pattern ARN = Pattern.compile("^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:([a-z-]+)/(.+)$");

  public static BedrockApi forModel(String modelId, List<String> converseModels) {
    if (converseModels.contains(modelId)) {
      return CONVERSE;
    }
    Matcher arn = ARN.matcher(modelId.toLowerCase(Locale.ROOT));
    if (arn.matches() && !arn.group(1).equals("foundation-model") && !arn.group(1).equals("inference-profile")) {
      return INVOKE_MODEL;
    }
    return baseModelId(modelId).startsWith("anthropic.") ? INVOKE_MODEL : CONVERSE;
  }

  /**
   * The vendor's model id inside {@code modelId}, lower-case: an ARN's resource id, without a cross-region prefix
   * ({@code us.meta.llama3-3-70b-instruct-v1:0} is {@code meta.llama3-3-70b-instruct-v1:0}).
   */
  static String baseModelId(String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    Matcher arn = ARN.matcher(id);
    if (arn.matches()) {
      id = arn.group(2);
    }
    return BedrockModelIds.withoutRegion(id);
  }
}
