package dev.turnpike.provider;

import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.ServerConfig;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.provider.auth.UpstreamAuth;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/**
 * One upstream dialect as {@link Dialects} registers it: its adapter (one per event loop) and how a provider of
 * this dialect proves who we are (one per provider and event loop, so a token cache stays on its loop).
 */
public record Dialect(String name, AdapterFactory adapter, AuthFactory auth) {
  @FunctionalInterface
  public interface AdapterFactory {
    DialectAdapter create(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server);
  }

  @FunctionalInterface
  public interface AuthFactory {
    /**
     * @throws IllegalArgumentException when the provider's credentials are missing or malformed (the message
     *     names the setting, never a secret)
     */
    UpstreamAuth create(Vertx vertx, HttpClient client, ProviderConfig provider);
  }
}
