package dev.turnpike.router;

import dev.turnpike.contract.BedrockModelIds;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.config.GatewayConfig;
import dev.turnpike.contract.config.ProviderConfig;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a client's model name into a provider and model (ARCHITECTURE.md §3): {@code provider/model} splits at
 * the first {@code /} only when the prefix is a configured provider, so {@code openrouter/meta-llama/llama-3}
 * works; a bare name goes to the default provider of its family. A name whose prefix names no configured provider
 * stays unresolved (provider {@code ""}) for aliases and rules to claim; if none does, it is a 404 listing the
 * configured providers, never a guess.
 */
public final class ModelResolver {
  /** Compiled once, not per request. */
  private static final Pattern OPENAI_REASONING = Pattern.compile("^o\\d.*");
  private final GatewayConfig config;

  /** A parsed name; {@code provider} is {@code ""} while no configured provider claims it. */
  public record Requested(String provider, String model) {
    public boolean resolved() {
      return !provider.isEmpty();
    }
  }

  public ModelResolver(GatewayConfig config) {
    this.config = config;
  }

  public Requested parse(String requested) {
    if (requested == null || requested.isBlank()) {
      throw Failure.of(FailureCode.INVALID_REQUEST, "model: Field required").asException();
    }
    int slash = requested.indexOf('/');
    if (slash > 0 && !isBedrockArn(requested)) {
      ProviderConfig named = config.provider(requested.substring(0, slash));
      if (named != null && slash < requested.length() - 1) {
        return new Requested(named.name(), requested.substring(slash + 1));
      }
      return new Requested("", requested);
    }
    ProviderConfig family = config.provider(familyProvider(requested));
    return new Requested(family == null ? "" : family.name(), requested);
  }

  /** The target for a provider and model; a 404 naming the configured providers when the provider is none. */
  public Target target(String provider, String model, String requestedName) {
    ProviderConfig configured = provider.isEmpty() ? null : config.provider(provider);
    if (configured == null) {
      throw Failure.of(FailureCode.NOT_FOUND, "Model '" + requestedName + "' names no configured provider; use "
          + "provider/model with one of " + config.providers().keySet()).asException();
    }
    return new Target(configured.name(), configured.dialect(), model);
  }

  public Target resolve(String requested) {
    Requested parsed = parse(requested);
    return target(parsed.provider(), parsed.model(), requested);
  }

  /** Bedrock's inference-profile and model ARNs hold a {@code /} that names no provider. */
  private static boolean isBedrockArn(String model) {
    return model.startsWith("arn:aws:bedrock:") || model.startsWith("arn:aws-us-gov:bedrock:");
  }

  /**
   * Bedrock's model ids ({@code anthropic.claude-...}, cross-region profiles {@code us.anthropic.claude-...},
   * ARNs) and, when a {@code vertex} provider is configured, Vertex's {@code claude-...@date} go to the cloud
   * they name: that is what Claude Code asks for in its Bedrock and Vertex modes.
   */
  private String familyProvider(String model) {
    String lower = model.toLowerCase(Locale.ROOT);
    if (isBedrockArn(model) || BedrockModelIds.isAnthropic(lower)) {
      return "bedrock";
    }
    if (lower.startsWith("claude") && lower.contains("@") && config.provider("vertex") != null) {
      return "vertex";
    }
    if (lower.startsWith("gpt-") || lower.startsWith("chatgpt") || OPENAI_REASONING.matcher(lower).matches()) {
      return "openai";
    }
    if (lower.startsWith("gemini")) {
      return "gemini";
    }
    if (lower.startsWith("mistral") || lower.startsWith("codestral")) {
      return "mistral";
    }
    return "anthropic"; // Claude Code's own names (claude-*, and its aliases) are the common case
  }
}
