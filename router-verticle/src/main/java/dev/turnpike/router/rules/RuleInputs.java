package dev.turnpike.router.rules;

import dev.cel.runtime.CelVariableResolver;
import java.util.Map;
import java.util.Optional;

/**
 * What a rule sees of one request (the CEL variables of {@link RuleEnvironment}). Strings are never null: an
 * absent identity or header is {@code ""}, an absent limit {@code 0}.
 *
 * @param body {@code max_tokens}, {@code stream}, {@code has_tools}, {@code tool_count}, {@code thinking},
 *     {@code has_images}, {@code input_tokens}
 */
public record RuleInputs(String model, String provider, String requestType, Map<String, String> headers,
                         Map<String, String> params, String virtualKeyId, String virtualKeyName, String teamId,
                         String teamName, String customerId, String customerName, double budgetUsed,
                         double tokensUsed, double requestUsed, Map<String, Object> body, String sessionId,
                         String agentId, String requestClass) implements CelVariableResolver {

  /** The same request as it would look asking for {@code provider/model} (for a chained rule). */
  public RuleInputs retargeted(String newProvider, String newModel) {
    return new RuleInputs(newModel, newProvider, requestType, headers, params, virtualKeyId, virtualKeyName, teamId,
        teamName, customerId, customerName, budgetUsed, tokensUsed, requestUsed, body, sessionId, agentId,
        requestClass);
  }

  /** The same request with governance's limits filled in. */
  public RuleInputs withLimits(double budget, double tokens, double requests) {
    return new RuleInputs(model, provider, requestType, headers, params, virtualKeyId, virtualKeyName, teamId,
        teamName, customerId, customerName, budget, tokens, requests, body, sessionId, agentId, requestClass);
  }

  @Override
  public Optional<Object> find(String name) {
    Object value = switch (name) {
      case "model" -> model;
      case "provider" -> provider;
      case "request_type" -> requestType;
      case "headers" -> headers;
      case "params" -> params;
      case "virtual_key_id" -> virtualKeyId;
      case "virtual_key_name" -> virtualKeyName;
      case "team_id" -> teamId;
      case "team_name" -> teamName;
      case "customer_id" -> customerId;
      case "customer_name" -> customerName;
      case "budget_used" -> budgetUsed;
      case "tokens_used" -> tokensUsed;
      case "request" -> requestUsed;
      case "body" -> body;
      case "session_id" -> sessionId;
      case "agent_id" -> agentId;
      case "request_class" -> requestClass;
      default -> null;
    };
    return Optional.ofNullable(value);
  }

  /** A request of every kind a rule may meet, to try each rule once when the config loads. */
  static RuleInputs sample() {
    return new RuleInputs("claude-sonnet-4-5", "anthropic", "messages",
        Map.of("anthropic-beta", "claude-code-20250219", "x-claude-code-session-id", "s"), Map.of("beta", "true"),
        "vk-sample", "vk-sample", "team-sample", "team-sample", "customer-sample", "customer-sample", 50, 50, 50,
        Map.of("max_tokens", 32000L, "stream", true, "has_tools", true, "tool_count", 12L, "thinking", true,
            "has_images", false, "input_tokens", 20000L), "session-sample", "agent-sample", "main");
  }
}
