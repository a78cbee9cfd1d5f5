package dev.turnpike.provider;

import dev.turnpike.provider.anthropic.AnthropicFamilyAdapter;
import dev.turnpike.provider.anthropic.AnthropicShape;
import dev.turnpike.provider.auth.ApiKeyAuth;
import dev.turnpike.provider.auth.CloudAuths;
import dev.turnpike.provider.azure.AzureAdapter;
import dev.turnpike.provider.bedrock.BedrockAdapter;
import dev.turnpike.provider.cohere.CohereAdapter;
import dev.turnpike.provider.gemini.AiStudioEndpoint;
import dev.turnpike.provider.gemini.GeminiAdapter;
import dev.turnpike.provider.openai.OpenAiAdapter;
import dev.turnpike.provider.vertex.VertexAdapter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every upstream dialect the node speaks: adding one is a package of its own and one line here. */
public final class Dialects {
  public static final List<Dialect> ALL = List.of(
      new Dialect("anthropic",
          (vertx, client, timeouts, server) -> new AnthropicFamilyAdapter(vertx, client, timeouts, server,
              new AnthropicShape()),
          (vertx, client, provider) -> ApiKeyAuth.header(provider, "x-api-key")),
      new Dialect("openai", OpenAiAdapter::new, (vertx, client, provider) -> ApiKeyAuth.bearer(provider)),
      new Dialect("bedrock", BedrockAdapter::new, (vertx, client, provider) -> CloudAuths.bedrock(provider)),
      new Dialect("vertex", VertexAdapter::new, CloudAuths::vertex),
      new Dialect("gemini",
          (vertx, client, timeouts, server) -> new GeminiAdapter(vertx, client, timeouts, server,
              new AiStudioEndpoint()),
          (vertx, client, provider) -> ApiKeyAuth.header(provider, "x-goog-api-key")),
      new Dialect("cohere", CohereAdapter::new, (vertx, client, provider) -> ApiKeyAuth.bearer(provider)),
      new Dialect("azure", AzureAdapter::new, (vertx, client, provider) -> ApiKeyAuth.header(provider, "api-key")));

  private static final Map<String, Dialect> BY_NAME = ALL.stream()
      .collect(Collectors.toUnmodifiableMap(Dialect::name, Function.identity()));

  private Dialects() {}

  /** The dialect called {@code name}, or null. */
  public static Dialect named(String name) {
    return BY_NAME.get(name);
  }

  public static List<String> names() {
    return ALL.stream().map(Dialect::name).toList();
  }
}
