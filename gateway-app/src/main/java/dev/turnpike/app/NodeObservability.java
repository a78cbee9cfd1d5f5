package dev.turnpike.app;

import com.hazelcast.core.HazelcastInstance;
import dev.turnpike.app.metrics.NodeMetrics;
import dev.turnpike.app.tracing.Tracing;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.NodeLifecycle;
import dev.turnpike.contract.config.GatewayConfig;
import dev.turnpike.contract.config.MetricsConfig;
import dev.turnpike.contract.config.TracingConfig;
import dev.turnpike.edge.ActiveStreams;
import dev.turnpike.edge.InFlightRequests;
import dev.turnpike.governance.IdentityCatalog;
import dev.turnpike.router.breakers.CircuitBreakers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the node watches itself with (ARCHITECTURE.md §12-§14): metrics, the request log and traces, each a reader
 * of every completed {@link ExchangeRecord}, none on the request's path. Created before the edge (the request log's
 * store opens first), told when governance is ready (prices, budgets) and when the node is (the log's queries),
 * closed when the node leaves, after the last records were settled.
 */
final class NodeObservability {
  private final NodeMetrics metrics;
  private final NodeRequestLog requestLog;
  private final Tracing tracing;
  private final ActiveStreams streams;
  private final AtomicReference<IdentityCatalog> catalog;

  private NodeObservability(NodeMetrics metrics, NodeRequestLog requestLog, Tracing tracing, ActiveStreams streams,
                            AtomicReference<IdentityCatalog> catalog) {
    this.metrics = metrics;
    this.requestLog = requestLog;
    this.tracing = tracing;
    this.streams = streams;
    this.catalog = catalog;
  }

  /** Opens what is configured; the request log's store is opened on a worker (it may create a file or connect). */
  static Future<NodeObservability> open(Vertx vertx, JsonObject config, Function<String, String> env, String nodeId,
                                        NodeLifecycle lifecycle, InFlightRequests inFlight, CircuitBreakers breakers,
                                        HazelcastInstance hazelcast) {
    AtomicReference<IdentityCatalog> catalog = new AtomicReference<>();
    Supplier<dev.turnpike.governance.GovernancePolicy> prices =
        () -> catalog.get() == null ? null : catalog.get().state().policy();
    String scope = hazelcast == null ? "standalone" : hazelcast.getConfig().getClusterName();
    return vertx.executeBlocking(() -> NodeRequestLog.open(config, env, nodeId, scope, prices)).map(log -> {
      Tracing tracing;
      try {
        TracingConfig tracingConfig = TracingConfig.fromJson(config, new ArrayList<>());
        tracing = tracingConfig.enabled()
            ? Tracing.start(tracingConfig, nodeId, GatewayConfig.fromJson(config).providers()) : null;
      } catch (IllegalArgumentException e) {
        log.close(vertx);
        throw new ConfigException(List.of("tracing: " + e.getMessage()));
      }
      ActiveStreams streams = new ActiveStreams();
      MetricsConfig metricsConfig = MetricsConfig.fromJson(config, new ArrayList<>());
      NodeMetrics metrics = metricsConfig.enabled() ? new NodeMetrics(vertx, config, metricsConfig, lifecycle,
          inFlight, streams, breakers, hazelcast) : null;
      if (metrics != null && log.enabled()) {
        FunctionCounter.builder("turnpike.request.log.written", log, NodeRequestLog::written)
            .description("Request records this node wrote to the request log").register(metrics.registry());
        FunctionCounter.builder("turnpike.request.log.dropped", log, NodeRequestLog::dropped)
            .description("Request records dropped: the queue was full or the store refused them twice")
            .register(metrics.registry());
      }
      return new NodeObservability(metrics, log, tracing, streams, catalog);
    });
  }

  /** {@code first} (the breakers), then metrics, the request log and traces, each only when on. */
  Consumer<ExchangeRecord> readers(Consumer<ExchangeRecord> first) {
    Consumer<ExchangeRecord> readers = first;
    if (metrics != null) {
      readers = readers.andThen(metrics.recorder());
    }
    if (requestLog.enabled()) {
      readers = readers.andThen(requestLog);
    }
    if (tracing != null) {
      readers = readers.andThen(tracing.reader());
    }
    return readers;
  }

  ActiveStreams streams() {
    return streams;
  }

  /** The registry {@code /metrics} scrapes; null when metrics are off. */
  PrometheusMeterRegistry registry() {
    return metrics == null ? null : metrics.registry();
  }

  /** Governance is ready: records are priced by its policy in force, and its budgets become gauges. */
  void governanceReady(IdentityCatalog identities) {
    catalog.set(identities);
    if (metrics != null) {
      metrics.governance(identities);
    }
  }

  /** The node is ready: the request log answers queries (for the cluster, or its own part of them). */
  void nodeReady(Vertx vertx, String memberId, Supplier<List<String>> members) {
    requestLog.startService(vertx, memberId, members);
  }

  /** The last records written, the last spans sent (within their timeouts), the registry closed; never fails. */
  Future<Void> close(Vertx vertx) {
    return requestLog.close(vertx)
        .transform(written -> tracing == null ? Future.succeededFuture() : tracing.shutdown(vertx))
        .transform(sent -> {
          if (metrics != null) {
            metrics.close();
          }
          return Future.succeededFuture();
        });
  }
}
