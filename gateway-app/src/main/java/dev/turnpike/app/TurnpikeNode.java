package dev.turnpike.app;

import dev.turnpike.contract.Codecs;
import dev.turnpike.edge.EdgeVerticle;
import dev.turnpike.edge.NodeState;
import dev.turnpike.governance.GovernanceVerticle;
import dev.turnpike.provider.ProviderVerticle;
import dev.turnpike.router.RouterVerticle;
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
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One running Turnpike node: a (clustered) Vert.x instance with the edge, governance, router and provider
 * verticles deployed, one instance of each per event loop so a request never changes threads.
 */
public final class TurnpikeNode {
  private static final System.Logger LOG = System.getLogger(TurnpikeNode.class.getName());

  private final Vertx vertx;
  private final int port;

  private TurnpikeNode(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
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
    JsonObject server = config.getJsonObject("server", new JsonObject());
    int port = server.getInteger("port", 8080);
    if (port == 0) {
      port = freePort(server.getString("host", "0.0.0.0"));
      config = config.copy().put("server", server.copy().put("port", port));
    }
    // One loop per core: every request runs start to end on one loop, so more loops than cores only add
    // context switches (Vert.x's default is two per core, for handlers that block now and then).
    int eventLoops = server.getInteger("event_loops", Runtime.getRuntime().availableProcessors());
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(eventLoops)
        .setPreferNativeTransport(true);
    JsonObject cluster = config.getJsonObject("cluster", new JsonObject());
    Future<Vertx> vertxStarted;
    if (cluster.getBoolean("enabled", true)) {
      ClusterSetup setup = new ClusterSetup(env);
      try {
        String busHost = setup.eventBusHost(cluster);
        options.setEventBusOptions(new EventBusOptions().setHost(busHost).setClusterPublicHost(busHost).setPort(0));
        vertxStarted = Vertx.builder().with(options).withClusterManager(setup.clusterManager(cluster)).buildClustered();
      } catch (ConfigException e) {
        return Future.failedFuture(e);
      }
    } else {
      vertxStarted = Future.succeededFuture(Vertx.vertx(options));
    }
    JsonObject deployConfig = config;
    int boundPort = port;
    // Completed without a Vert.x context: when deployment fails, the node's Vert.x is closed, and a listener
    // bound to one of its contexts would never run.
    Promise<TurnpikeNode> started = Promise.promise();
    vertxStarted.onComplete(created -> {
      if (created.failed()) {
        started.fail(created.cause());
        return;
      }
      Vertx vertx = created.result();
      deployAll(vertx, deployConfig, eventLoops).onComplete(deployed -> {
        if (deployed.succeeded()) {
          started.complete(new TurnpikeNode(vertx, boundPort));
        } else {
          started.fail(deployed.cause());
          vertx.close();
        }
      });
    });
    return started.future();
  }

  private static Future<Void> deployAll(Vertx vertx, JsonObject config, int instances) {
    Codecs.registerAll(vertx);
    NodeState.markReady(vertx, false);
    // The edge first, so /health/ready can answer 503 while the rest deploys.
    return deploy(vertx, EdgeVerticle::new, config, instances)
        .compose(v -> deploy(vertx, GovernanceVerticle::new, config, instances))
        .compose(v -> deploy(vertx, RouterVerticle::new, config, instances))
        .compose(v -> deploy(vertx, ProviderVerticle::new, config, instances))
        .onSuccess(v -> {
          NodeState.markReady(vertx, true);
          LOG.log(System.Logger.Level.INFO, "Turnpike node ready on port {0} ({1} event loops, {2})",
              String.valueOf(config.getJsonObject("server").getInteger("port")), instances,
              vertx.isClustered() ? "clustered" : "standalone");
        });
  }

  private static Future<Void> deploy(Vertx vertx, Supplier<io.vertx.core.Deployable> verticle, JsonObject config,
                                     int instances) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config).setInstances(instances))
        .mapEmpty();
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

  public Future<Void> close() {
    NodeState.markReady(vertx, false);
    return vertx.close();
  }
}
