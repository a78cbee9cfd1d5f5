package dev.turnpike.edge;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.NodeLifecycle;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.config.BedrockSurfaceConfig;
import dev.turnpike.contract.config.GatewayConfig;
import dev.turnpike.contract.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;

/**
 * The HTTP edge: Claude Code's Anthropic endpoints and its Bedrock and Vertex surfaces, the OpenAI surface, health,
 * metrics and admin.
 * One instance per event loop, all on the same port (Vert.x spreads connections across them), sharing the node's
 * {@link EdgeServices}.
 */
public final class EdgeVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(EdgeVerticle.class.getName());
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private final EdgeServices services;
  private EdgeRuntime runtime;
  private HttpServer server;
  private ConnectionGuard connections;

  public EdgeVerticle(EdgeServices services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    Codecs.registerAll(vertx);
    GatewayConfig config = GatewayConfig.fromJson(config());
    runtime = new EdgeRuntime(vertx, services, config);
    ServerConfig limits = config.server();
    connections = new ConnectionGuard(vertx, limits.headerTimeoutMs(), limits.keepAliveTimeoutMs());

    Router router = Router.router(vertx);
    router.route(HttpMethod.HEAD, "/*").handler(ctx -> ctx.response().end()); // Claude Code's reachability probe
    router.get("/health/live").handler(ctx -> ctx.response().end("ok"));
    router.get("/health/ready").handler(this::readiness);
    AdminGuard adminGuard = new AdminGuard(config.adminToken());
    if (services.metrics() != null) { // before the readiness check: a starting or draining node is worth watching
      if (config.metrics().guarded()) {
        router.get("/metrics").handler(adminGuard::handle);
      }
      router.get("/metrics").handler(this::metrics);
    }
    router.route().handler(this::requireReady);
    router.post("/anthropic/v1/messages").handler(ctx -> modelRequest(ctx, Operation.MESSAGES));
    router.post("/anthropic/v1/messages/count_tokens").handler(ctx -> modelRequest(ctx, Operation.COUNT_TOKENS));
    new BedrockRoutes(runtime, BedrockSurfaceConfig.fromJson(config.raw(), new ArrayList<>())).mount(router);
    new VertexRoutes(runtime).mount(router);
    new OpenAiRoutes(runtime).mount(router);
    ModelsHandler models = new ModelsHandler(config);
    router.get("/anthropic/v1/models").handler(models::anthropic);
    router.get("/v1/models").handler(models::openAi);
    router.get("/openai/v1/models").handler(models::openAi);
    LogsPage.mount(router); // the page shell only; the data it shows comes from the guarded /api/logs*
    router.route("/api/admin/*").handler(adminGuard::handle);
    router.get("/api/admin/usage").handler(this::usage);
    RoutingAdmin routingAdmin = new RoutingAdmin(vertx, services.loopLocal(), config.timeouts().internalMs());
    BodyHandler adminBody = BodyHandler.create(false).setBodyLimit(1 << 20);
    router.get("/api/admin/routing-rules").handler(routingAdmin::getRules);
    router.put("/api/admin/routing-rules").handler(adminBody).handler(routingAdmin::putRules);
    router.post("/api/admin/routing/explain").handler(adminBody).handler(routingAdmin::explain);
    new IdentityAdminRoutes(vertx).mount(router, adminBody);
    router.route("/api/logs*").handler(adminGuard::handle);
    new LogRoutes(vertx, services.logStreams()).mount(router);
    router.route().last().handler(ctx -> error(ctx, Failure.of(FailureCode.NOT_FOUND,
        "No endpoint " + ctx.request().method() + " " + ctx.request().path())));
    router.route().failureHandler(this::onFailure);

    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(limits.host())
        .setPort(limits.port())
        .setTcpNoDelay(true)
        .setMaxInitialLineLength(64 * 1024)
        .setMaxHeaderSize(limits.maxHeaderBytes())
        .setCompressionSupported(false)
        // HTTP/1.1 only in clear text, as Claude Code and the SDKs speak it: one request per connection at a time
        // lets a refused body close its connection without cutting other streams.
        .setHttp2ClearTextEnabled(false));
    return server
        .connectionHandler(connections::opened)
        .requestHandler(request -> {
          Runnable idle = connections.requestStarted(request.connection());
          request.response().endHandler(v -> idle.run()); // the one end handler; ModelRequest uses closeHandler
          router.handle(request);
        })
        .listen();
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void modelRequest(RoutingContext ctx, Operation operation) {
    new ModelRequest(runtime, ctx.request(), SurfaceCall.anthropic(operation)).start();
  }

  /** An error outside a model request, in the form of the surface the path belongs to. */
  private static void error(RoutingContext ctx, Failure failure) {
    if (BedrockRoutes.owns(ctx.normalizedPath())) {
      BedrockErrors.write(ctx.response(), failure);
    } else if (OpenAiRoutes.owns(ctx.normalizedPath())) {
      OpenAiClientDialect.errorOutsideModelRequest(ctx.response(), failure);
    } else {
      ClientResponses.error(ctx.response(), failure);
    }
  }

  private void readiness(RoutingContext ctx) {
    NodeLifecycle.State state = services.lifecycle().state();
    boolean ready = state == NodeLifecycle.State.READY;
    ctx.response().setStatusCode(ready ? 200 : 503).putHeader("content-type", "application/json")
        .end(new JsonObject().put("ready", ready).put("state", state.name().toLowerCase()).encode());
  }

  private void requireReady(RoutingContext ctx) {
    NodeLifecycle lifecycle = services.lifecycle();
    if (lifecycle.ready() || lifecycle.state() == NodeLifecycle.State.DRAINING) {
      ctx.next(); // a draining node still answers; the model endpoints refuse new work with 529 themselves
    } else {
      error(ctx, Failure.of(FailureCode.NOT_READY, "Turnpike node is starting"));
    }
  }

  /** The Prometheus scrape, written on a worker thread: it walks every series, which an event loop should not. */
  private void metrics(RoutingContext ctx) {
    vertx.executeBlocking(services.metrics()::scrape, false)
        .onSuccess(text -> ctx.response().putHeader("content-type", PROMETHEUS_TEXT).end(text))
        .onFailure(ctx::fail);
  }

  private void usage(RoutingContext ctx) {
    JsonObject query = new JsonObject().put("subject", ctx.request().getParam("subject"));
    vertx.eventBus().<JsonObject>request(Addresses.GOVERNANCE_USAGE, query, Codecs.LOCAL)
        .map(Message::body)
        .onSuccess(usage -> ctx.response().putHeader("content-type", "application/json").end(usage.toBuffer()))
        .onFailure(error -> ClientResponses.error(ctx.response(), Failure.from(error)));
  }

  private void onFailure(RoutingContext ctx) {
    int status = ctx.statusCode();
    Failure failure;
    if (status == 400) {
      failure = Failure.of(FailureCode.INVALID_REQUEST, "Malformed request");
    } else {
      failure = Failure.of(FailureCode.INTERNAL, "Internal error in Turnpike");
      LOG.log(System.Logger.Level.ERROR, "Unhandled failure on " + ctx.request().path(), ctx.failure());
    }
    error(ctx, failure);
  }
}
