package dev.turnpike.edge;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code /api/logs} (behind the admin token): the request log's list, one request, stats per group, and a live
 * stream of new records as Server-Sent Events. Each call goes to the node's request log over the bus; the node
 * answers for the whole cluster.
 */
final class LogRoutes {
  private static final long POLL_MS = 1_000;
  private static final long KEEPALIVE_MS = 15_000;
  /** How far back each poll looks again: a record stamped just before the last one seen may commit after it. */
  private static final long OVERLAP_MS = 2_000;
  private static final int SEEN_IDS = 5_000;
  private static final int MAX_STREAMS = 32;
  private final Vertx vertx;
  private final AtomicInteger streams;

  LogRoutes(Vertx vertx, AtomicInteger streams) {
    this.vertx = vertx;
    this.streams = streams;
  }

  void mount(Router router) {
    router.get("/api/logs").handler(ctx -> ask(ctx, "list"));
    router.get("/api/logs/stats").handler(ctx -> ask(ctx, "stats"));
    router.get("/api/logs/stream").handler(this::stream);
    router.get("/api/logs/:id").handler(ctx -> ask(ctx, "get"));
  }

  private void ask(RoutingContext ctx, String op) {
    JsonObject request = new JsonObject().put("op", op).put("params", params(ctx));
    if (op.equals("get")) {
      request.put("id", ctx.pathParam("id")).put("params", new JsonObject());
    }
    query(request)
        .onSuccess(answer -> ctx.response().putHeader("content-type", "application/json")
            .putHeader("cache-control", "no-store").end(answer.toBuffer()))
        .onFailure(e -> ClientResponses.error(ctx.response(), failure(e)));
  }

  /**
   * New records as {@code event: log}, oldest first, polled once a second (a client that watches costs the
   * cluster one query a second; one that does not, nothing). {@code since} (epoch ms) starts further back.
   */
  private void stream(RoutingContext ctx) {
    if (streams.incrementAndGet() > MAX_STREAMS) {
      streams.decrementAndGet();
      ClientResponses.error(ctx.response(), Failure.of(FailureCode.RATE_LIMITED, "At most " + MAX_STREAMS
          + " live log streams per node").withRetryAfter(5));
      return;
    }
    JsonObject params = params(ctx);
    long[] cursor = {parseSince(params.remove("since"))};
    LinkedHashSet<String> seen = new LinkedHashSet<>();
    HttpServerResponse response = ctx.response();
    response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-store")
        .putHeader("x-accel-buffering", "no");
    response.write(": turnpike request log\n\n");
    boolean[] polling = {false};
    long[] lastWrite = {System.currentTimeMillis()};
    long timer = vertx.setPeriodic(POLL_MS, id -> {
      if (polling[0] || response.writeQueueFull()) {
        return; // the last poll is still out, or the client is not reading: skip a round
      }
      polling[0] = true;
      query(new JsonObject().put("op", "since").put("params", params.copy()
          .put("since", Long.toString(cursor[0] - OVERLAP_MS))))
          .onComplete(done -> {
            polling[0] = false;
            if (response.ended() || response.closed()) {
              return;
            }
            if (done.succeeded()) {
              JsonArray rows = done.result().getJsonArray("data", new JsonArray());
              for (Object row : rows) {
                JsonObject entry = (JsonObject) row;
                cursor[0] = Math.max(cursor[0], entry.getLong("logged_at", 0L));
                if (remember(seen, entry.getString("id"))) {
                  response.write("event: log\ndata: " + entry.encode() + "\n\n");
                  lastWrite[0] = System.currentTimeMillis();
                }
              }
            }
            if (System.currentTimeMillis() - lastWrite[0] > KEEPALIVE_MS) {
              response.write(": keepalive\n\n");
              lastWrite[0] = System.currentTimeMillis();
            }
          });
    });
    response.closeHandler(v -> {
      vertx.cancelTimer(timer);
      streams.decrementAndGet();
    });
  }

  /** Whether {@code id} is new; the set keeps the last {@value #SEEN_IDS}. */
  private static boolean remember(LinkedHashSet<String> seen, String id) {
    if (!seen.add(id)) {
      return false;
    }
    if (seen.size() > SEEN_IDS) {
      Iterator<String> oldest = seen.iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }

  private static long parseSince(Object since) {
    if (since instanceof String text && text.matches("[0-9]{1,15}")) {
      return Long.parseLong(text);
    }
    return System.currentTimeMillis();
  }

  private io.vertx.core.Future<JsonObject> query(JsonObject request) {
    return vertx.eventBus().<JsonObject>request(Addresses.LOGS_QUERY, request,
        new DeliveryOptions().setLocalOnly(true).setSendTimeout(15_000)).map(Message::body);
  }

  private static Failure failure(Throwable e) {
    if (e instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return Failure.of(FailureCode.NOT_FOUND, "The request log is off on this node (request_log.enabled: false)");
    }
    return Failure.from(e);
  }

  /** The query string as the request log reads it: the first value of each parameter. */
  private static JsonObject params(RoutingContext ctx) {
    JsonObject params = new JsonObject();
    ctx.queryParams().forEach(param -> {
      if (!params.containsKey(param.getKey())) {
        params.put(param.getKey(), param.getValue());
      }
    });
    return params;
  }
}
