package dev.turnpike.provider.anthropic;

import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.anthropic.AnthropicBody;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.Headers;
import dev.turnpike.provider.UpstreamRequest;
import io.vertx.core.MultiMap;

/**
 * Dialect {@code anthropic}: byte-preserving passthrough. Only the {@code model} value changes and the
 * provider's key replaces the client's; every other field, the {@code anthropic-*} headers, the query
 * ({@code ?beta=true}) and the answer's bytes pass unchanged.
 */
public final class AnthropicShape implements AnthropicFamilyShape {
  @Override
  public UpstreamRequest request(InvokeRequest request, ProviderConfig provider) {
    String path = request.operation() == Operation.COUNT_TOKENS ? "/v1/messages/count_tokens" : "/v1/messages";
    MultiMap headers = Headers.forwardable(request.clientHeaders());
    headers.set("content-type", "application/json");
    if (!headers.contains("anthropic-version")) {
      headers.set("anthropic-version", "2023-06-01");
    }
    String query = request.query() == null ? "" : "?" + request.query();
    return UpstreamRequest.post(provider.baseUrl() + path + query, headers,
        AnthropicBody.replaceModel(request.body(), request.target().model()), request.target().model());
  }
}
