package dev.turnpike.router;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.config.GatewayConfig;
import dev.turnpike.contract.config.ProviderConfig;
import java.util.Locale;

/**
 * Turns a client's model name into a target (ARCHITECTURE.md §3): {@code provider/model} splits at the first {@code /}
 * only when the prefix is a configured provider, so {@code meta-llama/Llama-3} stays a bare name; a bare name
 * goes to the default provider of its family.
 */
public final class ModelResolver {
  private final GatewayConfig config;

  public ModelResolver(GatewayConfig config) {
    this.config = config;
  }

  public Target resolve(String requested) {
    if (requested == null || requested.isBlank()) {
      throw Failure.of(FailureCode.INVALID_REQUEST, "model: Field required").asException();
    }
    int slash = requested.indexOf('/');
    if (slash > 0) {
      ProviderConfig named = config.provider(requested.substring(0, slash));
      if (named != null && slash < requested.length() - 1) {
        return new Target(named.name(), named.dialect(), requested.substring(slash + 1));
      }
    }
    String family = familyProvider(requested);
    ProviderConfig provider = config.provider(family);
    if (provider == null) {
      throw Failure.of(FailureCode.NOT_FOUND, "Model '" + requested + "' names no configured provider; use "
          + "provider/model with one of " + config.providers().keySet()).asException();
    }
    return new Target(provider.name(), provider.dialect(), requested);
  }

  private static String familyProvider(String model) {
    String lower = model.toLowerCase(Locale.ROOT);
    if (lower.startsWith("gpt-") || lower.startsWith("chatgpt") || lower.matches("^o\\d.*")) {
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
