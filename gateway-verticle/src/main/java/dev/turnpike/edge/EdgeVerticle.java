package dev.turnpike.edge;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.config.GatewayConfig;
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

/**
 * The HTTP edge: Claude Code's Anthropic endpoints, health and admin. One instance per event loop, all on the
 * same port (Vert.x spreads connections across them).
 */
public final class EdgeVerticle extends VerticleBase {
  private GatewayConfig config;
  private HttpServer server;
  private boolean ready;

  @Override
  public Future<?> start() {
    Codecs.registerAll(vertx);
    config = GatewayConfig.fromJson(config());
    Router router = Router.router(vertx);
    router.route(HttpMethod.HEAD, "/*").handler(ctx -> ctx.response().end()); // Claude Code's reachability probe
    router.get("/health/live").handler(ctx -> ctx.response().end("ok"));
    router.get("/health/ready").handler(this::readiness);
    router.route().handler(this::requireReady);

    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()).setPreallocateBodyBuffer(true);
    MessagesHandler messages = new MessagesHandler(vertx, Operation.MESSAGES, config.timeouts());
    MessagesHandler countTokens = new MessagesHandler(vertx, Operation.COUNT_TOKENS, config.timeouts());
    ModelsHandler models = new ModelsHandler(config);
    InFlightLimit limit = InFlightLimit.of(vertx,
        config.raw().getJsonObject("server", new JsonObject()).getInteger("max_in_flight", InFlightLimit.DEFAULT_MAX));
    // Its own route: vertx-web refuses a body handler after a user handler on one route, and the limit must
    // refuse before the body is read.
    router.post("/anthropic/v1/messages").handler(limit::handle);
    router.post("/anthropic/v1/messages").handler(body).handler(messages::handle);
    router.post("/anthropic/v1/messages/count_tokens").handler(body).handler(countTokens::handle);
    router.get("/anthropic/v1/models").handler(models::anthropic);
    router.get("/v1/models").handler(models::openAi);
    router.get("/openai/v1/models").handler(models::openAi);
    router.route("/api/admin/*").handler(new AdminGuard(config.raw()
        .getJsonObject("admin", new JsonObject()).getString("token"))::handle);
    router.get("/api/admin/usage").handler(this::usage);
    router.route().last().handler(ctx -> ErrorResponses.send(ctx.response(), Failure.of(FailureCode.NOT_FOUND,
        "No endpoint " + ctx.request().method() + " " + ctx.request().path())));
    router.route().failureHandler(this::onFailure);

    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setTcpNoDelay(true)
        .setMaxInitialLineLength(64 * 1024)
        .setCompressionSupported(false));
    return server.requestHandler(router).listen();
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void readiness(RoutingContext ctx) {
    boolean isReady = ready || NodeState.ready(vertx);
    ctx.response().setStatusCode(isReady ? 200 : 503).putHeader("content-type", "application/json")
        .end(new JsonObject().put("ready", isReady).encode());
  }

  private void requireReady(RoutingContext ctx) {
    if (!ready) {
      ready = NodeState.ready(vertx);
    }
    if (ready) {
      ctx.next();
    } else {
      ErrorResponses.send(ctx.response(), Failure.of(FailureCode.NOT_READY, "Turnpike node is starting"));
    }
  }

  private void usage(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.GOVERNANCE_USAGE, new JsonObject(), Codecs.LOCAL)
        .map(Message::body)
        .onSuccess(usage -> ctx.response().putHeader("content-type", "application/json").end(usage.toBuffer()))
        .onFailure(error -> ErrorResponses.send(ctx.response(), Failure.from(error)));
  }

  private void onFailure(RoutingContext ctx) {
    int status = ctx.statusCode();
    Failure failure;
    if (status == 413) {
      failure = Failure.of(FailureCode.REQUEST_TOO_LARGE,
          "Request body exceeds the limit of " + config.maxBodyBytes() + " bytes");
    } else if (status == 400) {
      failure = Failure.of(FailureCode.INVALID_REQUEST, "Malformed request");
    } else {
      failure = Failure.of(FailureCode.INTERNAL, "Internal error");
      System.getLogger(EdgeVerticle.class.getName()).log(System.Logger.Level.ERROR,
          "Unhandled failure on " + ctx.request().path(), ctx.failure());
    }
    ErrorResponses.send(ctx.response(), failure);
  }
}
