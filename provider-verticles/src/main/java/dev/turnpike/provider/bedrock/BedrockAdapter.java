package dev.turnpike.provider.bedrock;

import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.ServerConfig;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.provider.DialectAdapter;
import dev.turnpike.provider.StreamSink;
import dev.turnpike.provider.anthropic.AnthropicFamilyAdapter;
import dev.turnpike.provider.auth.UpstreamAuth;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/**
 * Dialect {@code bedrock}: Anthropic's models through InvokeModel ({@link BedrockShape}, the client's bytes
 * patched), every other model through Converse ({@link ConverseAdapter}, translated); {@link BedrockApi} decides
 * per request. Both sign the same way, with the provider's one {@link UpstreamAuth}.
 */
public final class BedrockAdapter implements DialectAdapter {
  private final DialectAdapter invokeModel;
  private final DialectAdapter converse;

  public BedrockAdapter(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server) {
    this.invokeModel = new AnthropicFamilyAdapter(vertx, client, timeouts, server, new BedrockShape());
    this.converse = new ConverseAdapter(vertx, client, timeouts, server);
  }

  @Override
  public void invoke(InvokeRequest request, ProviderConfig provider, UpstreamAuth auth, StreamSink sink) {
    String model = request.target().model();
    boolean viaConverse = model != null && BedrockApi.forModel(model, provider.converseModels()) == BedrockApi.CONVERSE;
    (viaConverse ? converse : invokeModel).invoke(request, provider, auth, sink);
  }
}
