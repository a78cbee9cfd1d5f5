package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the model requests one node serves at once ({@code server.max_in_flight}). Past the cap a request is
 * refused at once with 529 {@code overloaded_error}, before its body is read, which Claude Code retries with
 * back-off; without the cap an overloaded node queues bodies until its heap runs out. Shared by every edge
 * instance of the node.
 */
final class InFlightLimit implements Shareable {
  static final int DEFAULT_MAX = 512;
  private static final String MAP = "turnpike.edge";
  private static final String KEY = "in-flight";

  private final AtomicInteger inFlight = new AtomicInteger();
  private final int max;

  private InFlightLimit(int max) {
    this.max = max;
  }

  static InFlightLimit of(Vertx vertx, int max) {
    LocalMap<String, InFlightLimit> map = vertx.sharedData().getLocalMap(MAP);
    InFlightLimit created = new InFlightLimit(max);
    InFlightLimit existing = map.putIfAbsent(KEY, created);
    return existing == null ? created : existing;
  }

  void handle(RoutingContext ctx) {
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      ErrorResponses.send(ctx.response(), Failure.of(FailureCode.OVERLOADED,
          "Turnpike node is at capacity (" + max + " requests in flight); retry shortly").withRetryAfter(1));
      return;
    }
    ctx.addEndHandler(done -> inFlight.decrementAndGet());
    ctx.next();
  }

  int inFlight() {
    return inFlight.get();
  }
}
