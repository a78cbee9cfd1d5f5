package dev.turnpike.edge;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code /api/admin/customers}, {@code /teams} and {@code /virtual-keys} (behind the admin token): each request
 * goes to this node's governance as {@code {op, kind, id, body}} and its answer is written as it comes.
 * {@code GET} lists or shows one (with its limits' windows), {@code POST} creates, {@code PATCH}/{@code PUT}
 * change fields, {@code DELETE} removes; {@code POST /virtual-keys/{id}/rotate} gives a key a new value.
 */
final class IdentityAdminRoutes {
  private static final List<String> COLLECTIONS = List.of("customers", "teams", "virtual-keys");
  private final Vertx vertx;

  IdentityAdminRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router, Handler<RoutingContext> bodyHandler) {
    for (String kind : COLLECTIONS) {
      String base = "/api/admin/" + kind;
      router.get(base).handler(ctx -> forward(ctx, "list", kind));
      router.post(base).handler(bodyHandler).handler(ctx -> forward(ctx, "create", kind));
      router.get(base + "/:id").handler(ctx -> forward(ctx, "get", kind));
      router.patch(base + "/:id").handler(bodyHandler).handler(ctx -> forward(ctx, "update", kind));
      router.put(base + "/:id").handler(bodyHandler).handler(ctx -> forward(ctx, "update", kind));
      router.delete(base + "/:id").handler(ctx -> forward(ctx, "delete", kind));
    }
    router.post("/api/admin/virtual-keys/:id/rotate").handler(ctx -> forward(ctx, "rotate", "virtual-keys"));
  }

  private void forward(RoutingContext ctx, String op, String kind) {
    JsonObject request = new JsonObject().put("op", op).put("kind", kind).put("id", ctx.pathParam("id"));
    if (ctx.body() != null && ctx.body().length() > 0) {
      Object body;
      try {
        body = ctx.body().asJsonObject();
      } catch (RuntimeException notJson) {
        body = null;
      }
      if (body == null) {
        ClientResponses.error(ctx.response(), Failure.of(FailureCode.INVALID_REQUEST, "Send a JSON object"));
        return;
      }
      request.put("body", body);
    } else if (op.equals("create") || op.equals("update")) {
      ClientResponses.error(ctx.response(), Failure.of(FailureCode.INVALID_REQUEST, "Send a JSON object"));
      return;
    }
    vertx.eventBus().<JsonObject>request(Addresses.GOVERNANCE_IDENTITIES, request, Codecs.LOCAL)
        .map(Message::body)
        .onSuccess(reply -> ctx.response().setStatusCode(reply.getInteger("status", 500))
            .putHeader("content-type", "application/json")
            .putHeader("cache-control", "no-store") // a made or rotated key's value is in the answer
            .end(reply.getJsonObject("body", new JsonObject()).toBuffer()))
        .onFailure(e -> ClientResponses.error(ctx.response(), Failure.from(e)));
  }
}
