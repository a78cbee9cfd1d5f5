package dev.turnpike.router;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Admission;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Deadlines;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.LimitsRequest;
import dev.turnpike.contract.LocalReply;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.RouteDecision;
import dev.turnpike.contract.RouteRequest;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.router.affinity.SessionAffinity;
import dev.turnpike.router.breakers.CircuitBreakers;
import dev.turnpike.router.rules.RuleSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves {@code turnpike.router.route}: aliases, model resolution, routing rules and fallbacks (the node's current
 * {@link Routing}), leaving out targets whose circuit breaker is open, then session affinity. Asks governance for
 * the caller's limits only when a rule reads them. Also answers the admin API's rule and explain requests. One
 * instance per event loop, each also on its per-loop address. A failure other than a classified one (a bug)
 * escapes to {@link LoopLocal}'s guard, which fails the reply.
 */
public final class RouterVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(RouterVerticle.class.getName());
  private static final String SESSION_HEADER = "x-claude-code-session-id";
  private final LoopLocal loopLocal;
  private final RoutingState state;
  private final CircuitBreakers breakers;
  private final SessionAffinity affinity;
  private long internalMs;

  public RouterVerticle(LoopLocal loopLocal, RoutingState state, CircuitBreakers breakers, SessionAffinity affinity) {
    this.loopLocal = loopLocal;
    this.state = state;
    this.breakers = breakers;
    this.affinity = affinity;
  }

  @Override
  public Future<?> start() {
    Codecs.registerAll(vertx);
    internalMs = Timeouts.fromJson(config().getJsonObject("timeouts")).internalMs();
    var bus = vertx.eventBus();
    return Future.all(
        loopLocal.<RouteRequest>consumer(vertx, Addresses.ROUTER_ROUTE, this::route),
        bus.<JsonObject>localConsumer(Addresses.ROUTER_RULES, this::rules).completion(),
        bus.<JsonObject>localConsumer(Addresses.ROUTER_EXPLAIN, this::explain).completion());
  }

  private void route(Message<RouteRequest> message) {
    RouteRequest request = message.body();
    Routing routing = state.routing();
    if (!routing.needsLimits()) {
      decide(routing, request, Usage.Limits.NONE);
      return;
    }
    Promise<Usage.Limits> limits = LocalReply.onThisContext(vertx);
    vertx.eventBus().send(loopLocal.address(Addresses.GOVERNANCE_LIMITS),
        new LimitsRequest(request.requestId(), request.admission(), limits), Codecs.LOCAL);
    Deadlines.within(vertx, limits, internalMs, () -> Failure.internal(request.requestId()))
        .onSuccess(used -> decide(routing, request, used))
        .onFailure(request.reply()::tryFail);
  }

  private void decide(Routing routing, RouteRequest request, Usage.Limits limits) {
    try {
      RouteDecision decision = routing.decide(request, limits, breakers::allows);
      String session = request.headers() == null ? "" : request.headers().getOrDefault(SESSION_HEADER, "");
      affinity.apply(session, request.params().model(), decision, routing::resolve, breakers::allows, context)
          .onSuccess(request.reply()::tryComplete)
          .onFailure(e -> {
            LOG.log(System.Logger.Level.WARNING, "session affinity failed for {0}: {1}", request.requestId(),
                e.toString());
            request.reply().tryComplete(decision); // the cluster store is unreachable: route without it
          });
    } catch (Failure.FailureException e) {
      request.reply().fail(e);
    } catch (RuntimeException e) {
      // Outside the consumer's own call (after governance answered), so LoopLocal's guard cannot catch it.
      LOG.log(System.Logger.Level.ERROR, "routing failed for " + request.requestId(), e);
      request.reply().tryFail(Failure.internal(request.requestId()).asException());
    }
  }

  /** {@code {"op": "get"}} or {@code {"op": "put", "routing_rules": [...]}} from the admin API. */
  private void rules(Message<JsonObject> message) {
    JsonObject ask = message.body();
    if ("put".equals(ask.getString("op"))) {
      RoutingState.Change change = state.replace(ask.getJsonArray("routing_rules", new JsonArray()));
      message.reply(new JsonObject().put("accepted", change.accepted())
          .put("problems", new JsonArray(change.problems())));
    } else {
      message.reply(new JsonObject().put("routing_rules", state.rules()));
    }
  }

  /**
   * A sample request ({@code model}, {@code headers}, {@code query}, {@code body}) with the admission the edge
   * found for its key: which rules were tried, what each gave, and where the request would go.
   */
  private void explain(Message<JsonObject> message) {
    JsonObject ask = message.body();
    JsonObject sample = ask.getJsonObject("request", new JsonObject());
    JsonObject admissionJson = ask.getJsonObject("admission", new JsonObject());
    Admission admission = new Admission(admissionJson.getString("subject", "anonymous"),
        admissionJson.getString("virtual_key"), admissionJson.getString("team"), admissionJson.getString("customer"));
    JsonObject body = sample.getJsonObject("body", new JsonObject());
    RequestParams params = new RequestParams(sample.getString("model", body.getString("model")),
        body.getBoolean("stream", false), body.getLong("max_tokens", 1024L),
        !body.getJsonArray("tools", new JsonArray()).isEmpty(), body.containsKey("thinking"),
        body.getJsonArray("tools", new JsonArray()).size(), false);
    Map<String, String> headers = new HashMap<>();
    sample.getJsonObject("headers", new JsonObject())
        .forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), String.valueOf(h.getValue())));
    headers.remove("x-api-key");
    headers.remove("authorization");
    Map<String, String> query = new HashMap<>();
    sample.getJsonObject("query", new JsonObject()).forEach(q -> query.put(q.getKey(), String.valueOf(q.getValue())));
    RouteRequest request = new RouteRequest("explain", Operation.MESSAGES, params, headers, query,
        Buffer.buffer(body.encode()), admission, Promise.promise());
    JsonObject limits = sample.getJsonObject("limits", new JsonObject());
    Usage.Limits used = new Usage.Limits(limits.getDouble("budget_used", 0.0), limits.getDouble("tokens_used", 0.0),
        limits.getDouble("request", 0.0));
    try {
      Routing.Explained explained = state.routing().explain(request, used, breakers::allows);
      JsonArray evaluations = new JsonArray();
      for (RuleSet.Evaluation evaluation : explained.outcome().evaluations()) {
        evaluations.add(new JsonObject().put("rule", evaluation.rule()).put("scope", evaluation.scope())
            .put("as", evaluation.asProviderModel()).put("matched", evaluation.matched()));
      }
      JsonArray targets = new JsonArray();
      explained.decision().targets().forEach(t -> targets.add(t.qualifiedModel()));
      JsonArray skipped = new JsonArray();
      explained.skipped().forEach(t -> skipped.add(t.qualifiedModel()));
      JsonObject breakerStates = new JsonObject();
      List<Target> considered = new ArrayList<>(explained.decision().targets());
      considered.addAll(explained.skipped());
      for (Target target : considered) {
        breakerStates.put(target.qualifiedModel(), breakers.state(target).name().toLowerCase(Locale.ROOT));
      }
      message.reply(new JsonObject().put("matched_rule", explained.decision().matchedRule())
          .put("targets", targets).put("evaluations", evaluations).put("skipped_open_breakers", skipped)
          .put("breakers", breakerStates));
    } catch (Failure.FailureException e) {
      e.failure().failReply(message);
    } catch (RuntimeException e) {
      Failure.of(FailureCode.INVALID_REQUEST, "The sample request cannot be routed: " + e.getMessage())
          .failReply(message);
    }
  }
}
