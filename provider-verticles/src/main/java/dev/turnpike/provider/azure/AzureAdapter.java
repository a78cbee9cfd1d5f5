package dev.turnpike.provider.azure;

import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.ServerConfig;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.provider.DialectAdapter;
import dev.turnpike.provider.StreamSink;
import dev.turnpike.provider.anthropic.AnthropicFamilyAdapter;
import dev.turnpike.provider.auth.UpstreamAuth;
import dev.turnpike.provider.openai.OpenAiAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.Locale;

/**
 * Dialect {@code azure}: one Azure resource, one key, two wire formats. A Foundry resource serves OpenAI models
 * as Azure OpenAI deployments (Chat Completions, translated) and Claude models at its Anthropic endpoint
 * (same-family, patched); which one a request takes follows the model's family, as the resource itself decides:
 * a model whose name starts with {@code claude} goes to {@link FoundryAnthropicShape}, any other to
 * {@link AzureOpenAiShape}.
 */
public final class AzureAdapter implements DialectAdapter {
  private final DialectAdapter openAi;
  private final DialectAdapter claude;

  public AzureAdapter(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server) {
    this.openAi = new OpenAiAdapter(vertx, client, timeouts, server, new AzureOpenAiShape());
    this.claude = new AnthropicFamilyAdapter(vertx, client, timeouts, server, new FoundryAnthropicShape());
  }

  /** Whether {@code model} (the client's name for it, before any deployment mapping) is one of Anthropic's. */
  public static boolean isClaude(String model) {
    return model != null && model.toLowerCase(Locale.ROOT).startsWith("claude");
  }

  @Override
  public void invoke(InvokeRequest request, ProviderConfig provider, UpstreamAuth auth, StreamSink sink) {
    (isClaude(request.target().model()) ? claude : openAi).invoke(request, provider, auth, sink);
  }
}
