package dev.turnpike.router;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.RouteDecision;
import dev.turnpike.contract.RouteRequest;
import dev.turnpike.contract.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;

/**
 * Serves {@code turnpike.router.route}: resolves the requested model to a target and appends its fallbacks.
 * One instance per event loop, each also on its per-loop address. A failure other than a classified one (a bug)
 * escapes to {@link LoopLocal}'s guard, which fails the reply.
 */
public final class RouterVerticle extends VerticleBase {
  private final LoopLocal loopLocal;
  private ModelResolver resolver;
  private FallbackTable fallbacks;

  public RouterVerticle(LoopLocal loopLocal) {
    this.loopLocal = loopLocal;
  }

  @Override
  public Future<?> start() {
    Codecs.registerAll(vertx);
    GatewayConfig config = GatewayConfig.fromJson(config());
    resolver = new ModelResolver(config);
    fallbacks = new FallbackTable(config.fallbacks(), resolver);
    return loopLocal.<RouteRequest>consumer(vertx, Addresses.ROUTER_ROUTE, this::route);
  }

  private void route(Message<RouteRequest> message) {
    RouteRequest request = message.body();
    try {
      request.reply().complete(
          new RouteDecision(fallbacks.withFallbacks(resolver.resolve(request.params().model())), null));
    } catch (Failure.FailureException e) {
      request.reply().fail(e);
    }
  }
}
