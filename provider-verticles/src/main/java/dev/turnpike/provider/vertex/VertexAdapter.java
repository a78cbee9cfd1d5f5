package dev.turnpike.provider.vertex;

import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.ServerConfig;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.provider.DialectAdapter;
import dev.turnpike.provider.StreamSink;
import dev.turnpike.provider.anthropic.AnthropicFamilyAdapter;
import dev.turnpike.provider.auth.UpstreamAuth;
import dev.turnpike.provider.gemini.GeminiAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.Locale;

/**
 * Dialect {@code vertex}: one provider (project, region, credentials) serves two model families with different
 * APIs, so the model decides: Google's {@code gemini-*} models speak {@code generateContent} (translated by
 * {@link GeminiAdapter} at {@link VertexGeminiEndpoint}), every other model is Anthropic's, passed through
 * ({@link AnthropicFamilyAdapter} with {@link VertexShape}).
 */
public final class VertexAdapter implements DialectAdapter {
  private final DialectAdapter anthropic;
  private final DialectAdapter gemini;

  public VertexAdapter(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server) {
    this.anthropic = new AnthropicFamilyAdapter(vertx, client, timeouts, server, new VertexShape());
    this.gemini = new GeminiAdapter(vertx, client, timeouts, server, new VertexGeminiEndpoint());
  }

  /** Whether Vertex serves {@code model} as one of Google's Gemini models. */
  public static boolean isGemini(String model) {
    return model != null && model.toLowerCase(Locale.ROOT).startsWith("gemini-");
  }

  @Override
  public void invoke(InvokeRequest request, ProviderConfig provider, UpstreamAuth auth, StreamSink sink) {
    (isGemini(request.target().model()) ? gemini : anthropic).invoke(request, provider, auth, sink);
  }
}
