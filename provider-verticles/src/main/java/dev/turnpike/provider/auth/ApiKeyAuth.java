package dev.turnpike.provider.auth;

import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.KeyPicker;
import dev.turnpike.provider.UpstreamRequest;
import io.vertx.core.Future;

/**
 * One of the provider's configured keys, picked by weight among those that may serve the model, in one header
 * ({@code x-api-key: KEY}, {@code authorization: Bearer KEY}, ...). A provider with no keys sends none (a local
 * server); one whose keys all exclude the model fails, so another target can serve it.
 */
public final class ApiKeyAuth implements UpstreamAuth {
  private final ProviderConfig provider;
  private final String header;
  private final String prefix;

  private ApiKeyAuth(ProviderConfig provider, String header, String prefix) {
    this.provider = provider;
    this.header = header;
    this.prefix = prefix;
  }

  public static ApiKeyAuth header(ProviderConfig provider, String header) {
    return new ApiKeyAuth(provider, header, "");
  }

  public static ApiKeyAuth bearer(ProviderConfig provider) {
    return new ApiKeyAuth(provider, "authorization", "Bearer ");
  }

  @Override
  public Future<Void> authorize(UpstreamRequest request) {
    if (provider.keys().isEmpty()) {
      return Future.succeededFuture();
    }
    String key = KeyPicker.pick(provider, request.model());
    if (key == null) {
      return Future.failedFuture(KeyPicker.noKeyFor(provider, request.model()).asException());
    }
    request.headers().set(header, prefix.isEmpty() ? key : prefix + key);
    return Future.succeededFuture();
  }
}
