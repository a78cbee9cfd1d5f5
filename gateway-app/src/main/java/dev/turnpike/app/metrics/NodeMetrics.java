package dev.turnpike.app.metrics;

import com.hazelcast.core.HazelcastInstance;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.NodeLifecycle;
import dev.turnpike.contract.config.MetricsConfig;
import dev.turnpike.edge.ActiveStreams;
import dev.turnpike.edge.InFlightRequests;
import dev.turnpike.edge.metrics.ExchangeMetrics;
import dev.turnpike.edge.metrics.MetricLabels;
import dev.turnpike.governance.IdentityCatalog;
import dev.turnpike.governance.pricing.PriceTable;
import dev.turnpike.router.breakers.CircuitBreakers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One node's metrics (the README's Metrics section): its Prometheus registry, the record reader that counts every
 * request, and gauges of what the node holds (in-flight requests, streams, lifecycle, cluster members, breakers,
 * budgets), with the JVM's and the process's own meters. Vert.x's per-request HTTP and event-bus metrics stay off:
 * the record already says what they would, at no cost per request.
 */
public final class NodeMetrics {
  private final Vertx vertx;
  private final MetricsConfig settings;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ExchangeMetrics exchanges;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  /** The identities in force, once governance has them: the price of each attempt, the budgets to show. */
  private volatile IdentityCatalog catalog;
  private BudgetGauges budgets;

  /**
   * @param hazelcast the cluster's instance, null for a node without a cluster
   */
  public NodeMetrics(Vertx vertx, JsonObject config, MetricsConfig settings, NodeLifecycle lifecycle,
                     InFlightRequests inFlight, ActiveStreams streams, CircuitBreakers breakers,
                     HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.settings = settings;
    MetricLabels labels = MetricLabels.fromConfig(config, PriceTable::builtInName, settings.maxLabelValues());
    exchanges = new ExchangeMetrics(registry, labels, (target, usage) -> {
      IdentityCatalog identities = catalog;
      return identities == null ? 0 : identities.state().policy().costNanos(target, usage);
    });
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);

    Gauge.builder("turnpike.in.flight.requests", inFlight, InFlightRequests::count)
        .description("Model requests this node carries now").register(registry);
    Gauge.builder("turnpike.in.flight.limit", inFlight, InFlightRequests::max)
        .description("server.max_in_flight: past it new requests get 529").register(registry);
    Gauge.builder("turnpike.active.streams", streams, ActiveStreams::count)
        .description("Event-stream answers being relayed to clients now").register(registry);
    for (NodeLifecycle.State state : NodeLifecycle.State.values()) {
      Gauge.builder("turnpike.node.state", lifecycle, l -> l.state() == state ? 1 : 0)
          .description("1 for the node's lifecycle state (draining: finishing its requests, refusing new ones)")
          .tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
    }
    Gauge.builder("turnpike.cluster.members", () -> hazelcast == null ? 1 : hazelcast.getCluster().getMembers().size())
        .description("Members of the Hazelcast cluster as this node sees it (1 without a cluster)").register(registry);
    Set<String> providers = config.getJsonObject("providers", new JsonObject()).fieldNames();
    for (String provider : providers) {
      for (CircuitBreakers.State state : CircuitBreakers.State.values()) {
        Gauge.builder("turnpike.breaker.state", breakers, b -> worstState(b, provider) == state ? 1 : 0)
            .description("1 for the state of a provider's circuit breaker (with per-model breakers, its worst one)")
            .tag("provider", provider).tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
      }
    }
  }

  /** Governance is ready: attempts are priced by its policy in force, and its budgets become gauges. */
  public void governance(IdentityCatalog identities) {
    catalog = identities;
    budgets = new BudgetGauges(vertx, registry, identities.state(), settings.budgetRefreshSeconds() * 1000L);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The record reader; quick, lock-free and thread-safe. */
  public Consumer<ExchangeRecord> recorder() {
    return exchanges;
  }

  public void close() {
    if (budgets != null) {
      budgets.close();
    }
    gc.close();
    registry.close();
  }

  /** Open beats half-open beats closed, over the provider's breaker or its models' breakers. */
  private static CircuitBreakers.State worstState(CircuitBreakers breakers, String provider) {
    CircuitBreakers.State worst = CircuitBreakers.State.CLOSED;
    for (Map.Entry<String, CircuitBreakers.State> breaker : breakers.notClosed().entrySet()) {
      String key = breaker.getKey();
      boolean ofProvider = key.equals(provider) || key.startsWith(provider) && key.length() > provider.length()
          && key.charAt(provider.length()) == '/';
      if (ofProvider && (breaker.getValue() == CircuitBreakers.State.OPEN || worst == CircuitBreakers.State.CLOSED)) {
        worst = breaker.getValue();
      }
    }
    return worst;
  }
}
