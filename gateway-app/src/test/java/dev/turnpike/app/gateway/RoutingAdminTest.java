package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The routing admin API on one node: read, replace and explain the rules, behind the admin token. */
class RoutingAdminTest {
  private static final String TOKEN = "admin-token-for-tests";
  private static Vertx fakes;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    FakeAnthropicUpstream upstream = new FakeAnthropicUpstream(fakes).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("admin", new JsonObject().put("token", TOKEN))
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), "sk-a"))
            .put("spare", GatewayHarness.provider("anthropic", upstream.baseUrl(), "sk-s")))
        .put("routing_rules", new JsonArray().add(new JsonObject().put("name", "premium header")
            .put("cel_expression", "headers['x-tier'] == 'premium'").put("priority", 1)
            .put("targets", new JsonArray().add(new JsonObject().put("provider", "spare").put("model", "claude-p"))))
            .add(new JsonObject().put("name", "big requests").put("cel_expression", "body.max_tokens > 60000")
                .put("priority", 2)
                .put("targets", new JsonArray().add(new JsonObject().put("model", "claude-big"))))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url(path)))
        .header("authorization", "Bearer " + TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return gateway.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void should_explain_which_rules_were_tried_and_where_a_sample_would_go() throws Exception {
    JsonObject sample = new JsonObject().put("request", new JsonObject().put("model", "claude-sonnet-4-5")
        .put("headers", new JsonObject().put("x-tier", "basic"))
        .put("body", new JsonObject().put("max_tokens", 64000)));

    HttpResponse<String> response = admin("POST", "/api/admin/routing/explain", sample.encode());

    assertEquals(200, response.statusCode(), response.body());
    JsonObject explained = new JsonObject(response.body());
    assertEquals("big requests", explained.getString("matched_rule"));
    assertEquals("anthropic/claude-big", explained.getJsonArray("targets").getString(0));
    JsonArray evaluations = explained.getJsonArray("evaluations");
    assertEquals(2, evaluations.size());
    assertEquals(new JsonObject().put("rule", "premium header").put("scope", "global")
        .put("as", "anthropic/claude-sonnet-4-5").put("matched", false), evaluations.getJsonObject(0));
    assertTrue(evaluations.getJsonObject(1).getBoolean("matched"));
    assertEquals("closed", explained.getJsonObject("breakers").getString("anthropic/claude-big"));
  }

  @Test
  void should_refuse_the_admin_routes_without_the_token() throws Exception {
    HttpResponse<String> response = gateway.http().send(HttpRequest.newBuilder(
        URI.create(gateway.url("/api/admin/routing-rules"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, response.statusCode());
  }

  @Test
  void should_replace_the_rules_at_run_time_and_keep_them_when_a_new_set_is_refused() throws Exception {
    JsonArray original = new JsonObject(admin("GET", "/api/admin/routing-rules", null).body())
        .getJsonArray("routing_rules");
    assertEquals(2, original.size());
    JsonArray replacement = new JsonArray().add(new JsonObject().put("name", "all to spare")
        .put("cel_expression", "true").put("targets", new JsonArray().add(new JsonObject().put("provider", "spare"))));

    HttpResponse<String> put = admin("PUT", "/api/admin/routing-rules",
        new JsonObject().put("routing_rules", replacement).encode());
    HttpResponse<String> refused = admin("PUT", "/api/admin/routing-rules",
        "[{\"name\": \"broken\", \"cel_expression\": \"headers[\", \"targets\": [{\"model\": \"x\"}]}]");
    HttpResponse<String> routed = gateway.messages(new JsonObject().put("model", "claude-x").put("max_tokens", 5)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode());
    admin("PUT", "/api/admin/routing-rules", new JsonObject().put("routing_rules", original).encode());

    assertEquals(200, put.statusCode(), put.body());
    assertEquals(400, refused.statusCode(), refused.body());
    JsonObject error = new JsonObject(refused.body());
    assertEquals("invalid_request_error", error.getJsonObject("error").getString("type"));
    assertTrue(error.getJsonArray("problems").getString(0).contains("'broken'"), refused.body());
    assertEquals("spare/claude-x", routed.headers().firstValue("x-turnpike-target").orElse(""),
        "the accepted set applies, the refused one did not replace it");
  }
}
