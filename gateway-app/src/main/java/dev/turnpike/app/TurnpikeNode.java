package dev.turnpike.app;

import com.hazelcast.core.HazelcastInstance;
import dev.turnpike.app.tracing.Tracing;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.NodeLifecycle;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.config.GatewayConfig;
import dev.turnpike.contract.config.ServerConfig;
import dev.turnpike.contract.config.TracingConfig;
import dev.turnpike.edge.BodyBudget;
import dev.turnpike.edge.EdgeServices;
import dev.turnpike.edge.EdgeVerticle;
import dev.turnpike.edge.InFlightRequests;
import dev.turnpike.governance.GovernanceState;
import dev.turnpike.governance.GovernanceVerticle;
import dev.turnpike.governance.IdentityCatalog;
import dev.turnpike.governance.identity.HazelcastIdentityStore;
import dev.turnpike.governance.identity.IdentityStore;
import dev.turnpike.governance.identity.KeyHasher;
import dev.turnpike.governance.identity.LocalIdentityStore;
import dev.turnpike.governance.limits.Allowances;
import dev.turnpike.governance.limits.BusReclaimer;
import dev.turnpike.governance.limits.CounterStore;
import dev.turnpike.governance.limits.HazelcastCounterStore;
import dev.turnpike.governance.limits.LocalCounterStore;
import dev.turnpike.governance.UsageLedger;
import dev.turnpike.governance.UsageStores;
import dev.turnpike.provider.ProviderVerticle;
import dev.turnpike.router.HazelcastRulesStore;
import dev.turnpike.router.RouterVerticle;
import dev.turnpike.router.RoutingState;
import dev.turnpike.router.RulesStore;
import dev.turnpike.router.affinity.HazelcastAffinityStore;
import dev.turnpike.router.affinity.LocalAffinityStore;
import dev.turnpike.router.affinity.SessionAffinity;
import dev.turnpike.router.breakers.BreakerBoard;
import dev.turnpike.router.breakers.BreakerPolicy;
import dev.turnpike.router.breakers.CircuitBreakers;
import dev.turnpike.router.breakers.HazelcastBreakerBoard;
import dev.turnpike.router.breakers.LocalBreakerBoard;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One running Turnpike node: a (clustered) Vert.x instance with the edge, governance, router and provider
 * verticles deployed, one instance of each per event loop so a request never changes threads. The node owns
 * what all instances share (lifecycle, per-loop addresses, in-flight requests, body bytes, the usage ledger and
 * its flush timer) and hands it to them.
 */
public final class TurnpikeNode {
  private static final System.Logger LOG = System.getLogger(TurnpikeNode.class.getName());
  static final long FLUSH_INTERVAL_MS = 200;
  /** After the drain deadline, how long the requests told to end get to write their last bytes. */
  private static final long ABORT_GRACE_MS = 2_000;
  private static final long SETTLE_GRACE_MS = 100;

  private final Vertx vertx;
  private final int port;
  private final int drainSeconds;
  private final NodeLifecycle lifecycle;
  private final InFlightRequests inFlight;
  private final UsageLedger ledger;
  private final Allowances allowances;
  private final long flushTimer;
  private final NodeStore durable;
  private final NodeRequestLog requestLog;
  /** Null when tracing is off. */
  private final Tracing tracing;
  private Future<Void> closing;

  private TurnpikeNode(Vertx vertx, int port, int drainSeconds, NodeLifecycle lifecycle, InFlightRequests inFlight,
                       UsageLedger ledger, Allowances allowances, NodeStore durable, NodeRequestLog requestLog,
                       Tracing tracing) {
    this.vertx = vertx;
    this.port = port;
    this.drainSeconds = drainSeconds;
    this.lifecycle = lifecycle;
    this.inFlight = inFlight;
    this.ledger = ledger;
    this.allowances = allowances;
    this.durable = durable;
    this.requestLog = requestLog;
    this.tracing = tracing;
    this.flushTimer = vertx.setPeriodic(FLUSH_INTERVAL_MS, id -> {
      ledger.flush();
      allowances.flush();
    });
    durable.purgeNowAndThen(vertx);
  }

  /** Starts a node from a config that may still hold {@code env.} references; validates it first. */
  public static Future<TurnpikeNode> start(JsonObject config) {
    return start(config, System::getenv);
  }

  public static Future<TurnpikeNode> start(JsonObject config, Function<String, String> env) {
    JsonObject resolved;
    try {
      resolved = new ConfigLoader(env).prepare(config);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return startPrepared(resolved, env);
  }

  static Future<TurnpikeNode> startPrepared(JsonObject config, Function<String, String> env) {
    JsonObject serverJson = config.getJsonObject("server", new JsonObject());
    if (serverJson.getInteger("port", 8080) == 0) {
      config = config.copy().put("server", serverJson.copy()
          .put("port", freePort(serverJson.getString("host", ServerConfig.DEFAULT_HOST))));
    }
    ServerConfig server = ServerConfig.fromJson(config.getJsonObject("server"));
    // One loop per core: every request runs start to end on one loop, so more loops than cores only add
    // context switches (Vert.x's default is two per core, for handlers that block now and then).
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(server.eventLoops())
        .setPreferNativeTransport(true);
    JsonObject cluster = config.getJsonObject("cluster", new JsonObject());
    Future<Vertx> vertxStarted;
    String nodeId = nodeId(env, server.port());
    NodeStore durable = NodeStore.NONE;
    if (cluster.getBoolean("enabled", true)) {
      ClusterSetup setup = new ClusterSetup(env);
      try {
        String busHost = setup.eventBusHost(cluster);
        options.setEventBusOptions(new EventBusOptions().setHost(busHost).setClusterPublicHost(busHost).setPort(0));
        com.hazelcast.config.Config hazelcastConfig = setup.hazelcastConfig(cluster);
        durable = NodeStore.open(config, env, nodeId, hazelcastConfig);
        vertxStarted = Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcastConfig))
            .buildClustered();
      } catch (ConfigException e) {
        return Future.failedFuture(e);
      }
    } else {
      vertxStarted = Future.succeededFuture(Vertx.vertx(options));
    }
    NodeStore store = durable;
    vertxStarted = vertxStarted
        .onFailure(e -> store.close())
        .compose(vertx -> store.load(vertx).map(vertx).recover(e -> {
          store.close();
          return vertx.close().transform(closed -> Future.failedFuture(new ConfigException(java.util.List.of(
              "store: cannot load the cluster's stored state: " + e.getMessage()))));
        }));
    JsonObject deployConfig = config;
    // Completed without a Vert.x context: when deployment fails, the node's Vert.x is closed, and a listener
    // bound to one of its contexts would never run.
    Promise<TurnpikeNode> started = Promise.promise();
    vertxStarted.onComplete(created -> {
      if (created.failed()) {
        started.fail(created.cause());
        return;
      }
      Vertx vertx = created.result();
      NodeLifecycle lifecycle = new NodeLifecycle();
      InFlightRequests inFlight = new InFlightRequests(server.maxInFlight());
      UsageLedger ledger = new UsageLedger(UsageStores.forNode(vertx));
      HazelcastInstance hazelcast = hazelcastOf(vertx);
      // Leases are held by the cluster member, so another node can ask this one for its idle slices.
      String memberId = hazelcast == null ? nodeId : hazelcast.getCluster().getLocalMember().getUuid().toString();
      CounterStore counters = hazelcast == null ? new LocalCounterStore() : new HazelcastCounterStore(hazelcast);
      Allowances allowances = new Allowances(vertx, memberId, counters, Allowances.Settings.DEFAULT
          .withInFlightWaitMs(dev.turnpike.contract.config.Timeouts.fromJson(deployConfig.getJsonObject("timeouts"))
              .reservationWaitMs()),
          System::currentTimeMillis);
      allowances.reclaimer(new BusReclaimer(vertx));
      // Identities changed through the admin API, and the cluster's salt for key hashes: a blocking read.
      Future<IdentityCatalog> identities = vertx.executeBlocking(() -> {
        IdentityStore identityStore = hazelcast == null ? new LocalIdentityStore()
            : new HazelcastIdentityStore(hazelcast);
        KeyHasher hasher = new KeyHasher(identityStore.salt());
        GovernanceState governance = new GovernanceState(deployConfig, hasher, allowances);
        return new IdentityCatalog(deployConfig, identityStore, hasher, governance);
      });
      LoopLocal loopLocal = new LoopLocal();
      CircuitBreakers breakers = new CircuitBreakers(BreakerPolicy.fromJson(deployConfig.getJsonObject("breakers")),
          breakerBoard(vertx));
      SessionAffinity affinity = sessionAffinity(vertx, deployConfig.getJsonObject("affinity", new JsonObject()));
      Tracing tracing;
      try {
        tracing = startTracing(deployConfig, nodeId);
      } catch (IllegalArgumentException e) {
        started.fail(new ConfigException(java.util.List.of("tracing: " + e.getMessage())));
        vertx.close().onComplete(v -> store.close());
        return;
      }
      Codecs.registerAll(vertx);
      int instances = server.eventLoops();
      // The request log's store opens first (blocking: it may create a file or connect), so the edge's record
      // readers have it from the first request on; its prices come once governance is ready.
      java.util.concurrent.atomic.AtomicReference<IdentityCatalog> catalogReady =
          new java.util.concurrent.atomic.AtomicReference<>();
      String scope = hazelcast == null ? "standalone" : hazelcast.getConfig().getClusterName();
      Future<NodeRequestLog> requestLog = vertx.executeBlocking(() -> NodeRequestLog.open(deployConfig, env, nodeId,
          scope, () -> catalogReady.get() == null ? null : catalogReady.get().state().policy()));
      // The routing state may read the cluster's stored rule set, a blocking call.
      Future<RoutingState> routingState = vertx.executeBlocking(() -> new RoutingState(deployConfig,
          () -> ThreadLocalRandom.current().nextDouble(), rulesStore(vertx)));
      // The edge first, so /health/ready can answer 503 while the rest deploys.
      requestLog
          .compose(log -> {
            // What reads every completed record on the spot, on the request's event loop.
            Consumer<ExchangeRecord> readers = breakers::record;
            if (log.enabled()) {
              readers = readers.andThen(log);
            }
            if (tracing != null) {
              readers = readers.andThen(tracing.reader());
            }
            EdgeServices edge = new EdgeServices(nodeId, lifecycle, loopLocal, inFlight,
                new BodyBudget(server.maxBodyBytesInFlight()), readers);
            return deploy(vertx, () -> new EdgeVerticle(edge), deployConfig, instances);
          })
          .compose(v -> routingState.mapEmpty())
          .compose(v -> identities.recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
              ? new ConfigException(java.util.List.of(e.getMessage())) : e)))
          .compose(catalog -> {
            catalogReady.set(catalog);
            return deploy(vertx, () -> new GovernanceVerticle(loopLocal, ledger, catalog,
                java.time.Clock.systemUTC()), deployConfig, instances);
          })
          .compose(v -> deploy(vertx, () -> new RouterVerticle(loopLocal, routingState.result(), breakers, affinity),
              deployConfig, instances))
          .compose(v -> deploy(vertx, () -> new ProviderVerticle(loopLocal), deployConfig, instances))
          .onComplete(deployed -> {
            if (deployed.succeeded()) {
              requestLog.result().startService(vertx, memberId, () -> members(vertx, memberId));
              lifecycle.ready(true);
              LOG.log(System.Logger.Level.INFO, "Turnpike node {0} ready on {1}:{2} ({3} event loops, {4})", nodeId,
                  server.host(), String.valueOf(server.port()), instances,
                  vertx.isClustered() ? "clustered" : "standalone");
              started.complete(new TurnpikeNode(vertx, server.port(), server.drainSeconds(), lifecycle, inFlight,
                  ledger, allowances, store, requestLog.result(), tracing));
            } else {
              started.fail(deployed.cause());
              NodeRequestLog log = requestLog.succeeded() ? requestLog.result() : NodeRequestLog.OFF;
              log.close(vertx).transform(closed -> shutdownTracing(vertx, tracing))
                  .transform(v -> vertx.close()).onComplete(v -> store.close());
            }
          });
    });
    return started.future();
  }

  /** The node's traces, or null when {@code tracing.enabled} is off (the default). */
  private static Tracing startTracing(JsonObject config, String nodeId) {
    TracingConfig tracing = TracingConfig.fromJson(config, new java.util.ArrayList<>());
    return tracing.enabled() ? Tracing.start(tracing, nodeId, GatewayConfig.fromJson(config).providers()) : null;
  }

  private static Future<Void> shutdownTracing(Vertx vertx, Tracing tracing) {
    return tracing == null ? Future.succeededFuture() : tracing.shutdown(vertx);
  }

  private static Future<Void> deploy(Vertx vertx, Supplier<io.vertx.core.Deployable> verticle, JsonObject config,
                                     int instances) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config).setInstances(instances))
        .mapEmpty();
  }

  /** Session bindings live in the cluster's map (one hour unless {@code affinity.ttl_seconds} says otherwise). */
  private static SessionAffinity sessionAffinity(Vertx vertx, JsonObject config) {
    long ttlMs = config.getLong("ttl_seconds", 3600L) * 1000;
    boolean enabled = config.getBoolean("enabled", true);
    HazelcastInstance hazelcast = hazelcastOf(vertx);
    return new SessionAffinity(hazelcast == null ? new LocalAffinityStore(ttlMs)
        : new HazelcastAffinityStore(hazelcast, ttlMs), enabled, ttlMs);
  }

  /** Rule sets changed at run time are shared through the cluster's map. */
  private static RulesStore rulesStore(Vertx vertx) {
    HazelcastInstance hazelcast = hazelcastOf(vertx);
    return hazelcast == null ? RulesStore.LOCAL : new HazelcastRulesStore(hazelcast);
  }

  /** Open breakers are shared through the cluster's map; a node without a cluster keeps them to itself. */
  private static BreakerBoard breakerBoard(Vertx vertx) {
    HazelcastInstance hazelcast = hazelcastOf(vertx);
    return hazelcast == null ? new LocalBreakerBoard() : new HazelcastBreakerBoard(hazelcast);
  }

  /** The cluster's member ids, as the request log's fan-out asks them; this member alone without a cluster. */
  private static java.util.List<String> members(Vertx vertx, String memberId) {
    HazelcastInstance hazelcast = hazelcastOf(vertx);
    return hazelcast == null ? java.util.List.of(memberId) : hazelcast.getCluster().getMembers().stream()
        .map(member -> member.getUuid().toString()).toList();
  }

  /** The cluster's Hazelcast instance, or null for a node without a cluster. */
  static HazelcastInstance hazelcastOf(Vertx vertx) {
    return vertx instanceof VertxInternal internal
        && internal.clusterManager() instanceof HazelcastClusterManager manager ? manager.getHazelcastInstance() : null;
  }

  private static String nodeId(Function<String, String> env, int port) {
    String host = env.apply("HOSTNAME");
    return (host == null || host.isBlank() ? "node" : host) + ":" + port;
  }

  private static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0".equals(host) ? "127.0.0.1" : host), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port", e);
    }
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  public NodeLifecycle.State state() {
    return lifecycle.state();
  }

  /**
   * Leaves gracefully (ARCHITECTURE.md §9): readiness turns 503 at once and new requests get 529 with
   * {@code retry-after}, so a load balancer moves traffic away; requests in flight may finish for up to
   * {@code server.drain_seconds}; whatever is still running then is ended (a stream with an error event) and its
   * usage settled; the usage ledger is flushed; then the node leaves the cluster.
   */
  public synchronized Future<Void> drain() {
    if (closing != null) {
      return closing;
    }
    lifecycle.draining();
    LOG.log(System.Logger.Level.INFO, "Draining: {0} requests in flight, up to {1} s", inFlight.count(),
        drainSeconds);
    closing = inFlight.whenIdle(vertx, drainSeconds * 1000L)
        .compose(v -> {
          if (inFlight.count() == 0) {
            return Future.succeededFuture();
          }
          LOG.log(System.Logger.Level.WARNING, "Drain deadline: ending {0} requests still in flight",
              inFlight.count());
          inFlight.abortAll(Failure.of(FailureCode.OVERLOADED, "Turnpike node is shutting down; retry"));
          return inFlight.whenIdle(vertx, ABORT_GRACE_MS);
        })
        .compose(v -> leave());
    return closing;
  }

  /** Stops at once: requests in flight are cut; counters already settled are flushed first. */
  public synchronized Future<Void> close() {
    if (closing != null) {
      return closing;
    }
    lifecycle.draining();
    closing = leave();
    return closing;
  }

  private Future<Void> leave() {
    vertx.cancelTimer(flushTimer);
    // The last requests' settlements are messages still queued on the event loops: let them land first.
    Promise<Void> settled = Promise.promise();
    vertx.setTimer(SETTLE_GRACE_MS, id -> settled.complete());
    return settled.future()
        .compose(v -> ledger.flush())
        .compose(v -> allowances.returnIdle()) // settled costs committed, slices and leases given back
        .compose(v -> durable.flush(vertx))
        .recover(e -> {
          LOG.log(System.Logger.Level.WARNING, "Could not flush usage counters before leaving: {0}", e.toString());
          return Future.succeededFuture();
        })
        .compose(v -> requestLog.close(vertx)) // the last requests' records written
        .recover(e -> {
          LOG.log(System.Logger.Level.WARNING, "Could not write the last request records: {0}", e.toString());
          return Future.succeededFuture();
        })
        .compose(v -> shutdownTracing(vertx, tracing)) // the last spans, within tracing.export_timeout_ms
        .compose(v -> vertx.close())
        .onComplete(v -> {
          durable.close();
          lifecycle.stopped();
        });
  }
}
