package dev.turnpike.provider;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.config.GatewayConfig;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.auth.UpstreamAuth;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hosts one adapter per upstream dialect and serves {@code turnpike.provider.<dialect>.invoke}. One instance
 * runs per event loop, with its own HTTP client, so a request's upstream call stays on the loop that took it.
 */
public final class ProviderVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(ProviderVerticle.class.getName());
  private final LoopLocal loopLocal;
  private GatewayConfig config;
  private final Map<String, DialectAdapter> adapters = new HashMap<>();
  /** Per provider; a provider whose credentials could not be read has none, and its requests fail clearly. */
  private final Map<String, UpstreamAuth> auths = new HashMap<>();
  private final Map<String, String> authProblems = new HashMap<>();
  private HttpClient client;

  public ProviderVerticle(LoopLocal loopLocal) {
    this.loopLocal = loopLocal;
  }

  @Override
  public Future<?> start() {
    Codecs.registerAll(vertx);
    config = GatewayConfig.fromJson(config());
    client = vertx.createHttpClient(new HttpClientOptions()
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            .setDecompressionSupported(false)
            .setMaxInitialLineLength(64 * 1024),
        new PoolOptions().setHttp1MaxSize(512).setHttp2MaxSize(16).setMaxWaitQueueSize(-1));
    for (Dialect dialect : Dialects.ALL) {
      adapters.put(dialect.name(), dialect.adapter().create(vertx, client, config.timeouts(), config.server()));
    }
    for (ProviderConfig provider : config.providers().values()) {
      Dialect dialect = Dialects.named(provider.dialect());
      if (dialect == null) {
        continue; // the config check refused it already; a request for it fails as unconfigured
      }
      try {
        auths.put(provider.name(), dialect.auth().create(vertx, client, provider));
      } catch (IllegalArgumentException e) {
        authProblems.put(provider.name(), e.getMessage());
        LOG.log(System.Logger.Level.ERROR, "provider " + provider.name() + ": " + e.getMessage());
      }
    }
    List<Future<Void>> registrations = new ArrayList<>();
    for (String dialect : adapters.keySet()) {
      String address = Addresses.providerInvoke(dialect);
      registrations.add(loopLocal.<InvokeRequest>consumer(vertx, address, this::invoke));
    }
    return Future.all(registrations);
  }

  @Override
  public Future<?> stop() {
    return client.close();
  }

  private void invoke(Message<InvokeRequest> message) {
    InvokeRequest request = message.body();
    StreamSink sink = new StreamSink(vertx, request);
    ProviderConfig provider = config.provider(request.target().provider());
    DialectAdapter adapter = provider == null ? null : adapters.get(provider.dialect());
    if (adapter == null) {
      sink.fail(Failure.of(FailureCode.NOT_FOUND,
          "Provider '" + request.target().provider() + "' is not configured on this node"), Usage.NONE);
      return;
    }
    UpstreamAuth auth = auths.get(provider.name());
    if (auth == null) {
      sink.fail(Failure.of(FailureCode.UPSTREAM_AUTH, "Provider '" + provider.name() + "' has no usable "
          + "credentials: " + authProblems.getOrDefault(provider.name(), "none configured")), Usage.NONE);
      return;
    }
    try {
      adapter.invoke(request, provider, auth, sink);
    } catch (RuntimeException e) {
      // A bug in an adapter must end the attempt, not leave the edge waiting.
      LOG.log(System.Logger.Level.ERROR, "adapter " + provider.dialect() + " failed for " + request.requestId(), e);
      sink.fail(Failure.internal(request.requestId()), Usage.NONE);
    }
  }
}
