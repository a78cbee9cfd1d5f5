package dev.turnpike.edge;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Admission;
import dev.turnpike.contract.AdmitRequest;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Deadlines;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.LocalReply;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.anthropic.AnthropicErrors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The routing part of the admin API (behind the admin token): {@code GET} and {@code PUT /api/admin/routing-rules}
 * (a new set is checked on this node, then stored for every node; a bad set is refused with its reasons and the old
 * one stays), and {@code POST /api/admin/routing/explain} (a sample request: which rules were tried, what each gave,
 * where it would go).
 */
final class RoutingAdmin {
  private final Vertx vertx;
  private final LoopLocal loopLocal;
  private final long internalMs;

  RoutingAdmin(Vertx vertx, LoopLocal loopLocal, long internalMs) {
    this.vertx = vertx;
    this.loopLocal = loopLocal;
    this.internalMs = internalMs;
  }

  void getRules(RoutingContext ctx) {
    ask(Addresses.ROUTER_RULES, new JsonObject().put("op", "get"))
        .onSuccess(reply -> json(ctx, 200, reply))
        .onFailure(e -> ClientResponses.error(ctx.response(), Failure.from(e)));
  }

  void putRules(RoutingContext ctx) {
    JsonArray rules;
    try {
      Object body = ctx.body().asJsonObject() != null ? ctx.body().asJsonObject().getValue("routing_rules") : null;
      rules = body instanceof JsonArray array ? array : null;
    } catch (RuntimeException notAnObject) {
      rules = arrayOrNull(ctx);
    }
    if (rules == null) {
      ClientResponses.error(ctx.response(), Failure.of(FailureCode.INVALID_REQUEST,
          "Send {\"routing_rules\": [...]} or the list itself"));
      return;
    }
    ask(Addresses.ROUTER_RULES, new JsonObject().put("op", "put").put("routing_rules", rules))
        .onSuccess(reply -> {
          if (reply.getBoolean("accepted", false)) {
            json(ctx, 200, reply);
          } else {
            JsonArray problems = reply.getJsonArray("problems", new JsonArray());
            JsonObject error = new JsonObject(AnthropicErrors.json(Failure.of(FailureCode.INVALID_REQUEST,
                "The rule set was refused; the current one stays: " + String.join("; ", problems.getList())))
                .toString()).put("problems", problems);
            json(ctx, 400, error);
          }
        })
        .onFailure(e -> ClientResponses.error(ctx.response(), Failure.from(e)));
  }

  void explain(RoutingContext ctx) {
    JsonObject sample;
    try {
      sample = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      sample = null;
    }
    if (sample == null) {
      ClientResponses.error(ctx.response(), Failure.of(FailureCode.INVALID_REQUEST,
          "Send {\"request\": {\"model\": ..., \"headers\": {...}, \"body\": {...}}, \"key\": \"<virtual key>\"}"));
      return;
    }
    JsonObject request = sample.getJsonObject("request", sample);
    admit(sample.getString("key"))
        .compose(admission -> ask(Addresses.ROUTER_EXPLAIN, new JsonObject().put("request", request)
            .put("admission", new JsonObject().put("subject", admission.subject())
                .put("virtual_key", admission.virtualKey()).put("team", admission.team())
                .put("customer", admission.customer()))))
        .onSuccess(reply -> json(ctx, 200, reply))
        .onFailure(e -> ClientResponses.error(ctx.response(), Failure.from(e)));
  }

  private Future<Admission> admit(String key) {
    Promise<Admission> admitted = LocalReply.onThisContext(vertx);
    vertx.eventBus().send(loopLocal.address(Addresses.GOVERNANCE_ADMIT), new AdmitRequest("explain", key, admitted),
        Codecs.LOCAL);
    return Deadlines.within(vertx, admitted, internalMs, () -> Failure.internal("explain"));
  }

  private Future<JsonObject> ask(String address, JsonObject question) {
    return vertx.eventBus().<JsonObject>request(address, question, Codecs.LOCAL).map(Message::body);
  }

  private static JsonArray arrayOrNull(RoutingContext ctx) {
    try {
      return ctx.body().asJsonArray();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
