package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API's customers, teams and virtual keys on one node: a key made through it works at once and its value
 * is shown only then; changes are checked against the whole policy; disabling, rotating and deleting take effect
 * on the next request; a file key can be changed too.
 */
class IdentityAdminTest {
  private static final String ADMIN = "adm-identity";
  private static Vertx fakes;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    FakeAnthropicUpstream upstream = new FakeAnthropicUpstream(fakes)
        .script(r -> Reply.text("hello").withUsage(30, 4)).start().await();
    gateway = GatewayHarness.start(new JsonObject("""
        {"admin": {"token": "%s"},
         "providers": {"anthropic": {"dialect": "anthropic", "base_url": "%s", "keys": [{"value": "sk-up"}]}},
         "governance": {"enforce_virtual_keys": true,
           "customers": [{"id": "acme"}],
           "teams": [{"id": "platform", "customer": "acme"}],
           "virtual_keys": [{"id": "vk-file", "value": "tp-file-key-value", "team": "platform"}]}}"""
        .formatted(ADMIN, upstream.baseUrl())));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @Test
  void should_make_a_key_that_works_at_once_and_show_its_value_only_when_made() throws Exception {
    HttpResponse<String> made = admin("POST", "/api/admin/virtual-keys", new JsonObject().put("id", "vk-new")
        .put("team", "platform").put("budget", new JsonObject().put("max_usd", 2).put("reset", "1M")));
    assertEquals(201, made.statusCode(), made.body());
    String value = new JsonObject(made.body()).getString("value");
    // Shaped as Anthropic's gateway tokens, so Claude Code shows the budget's warnings for it.
    String[] parts = value.split("\\.");
    assertEquals(3, parts.length, value);
    JsonObject payload = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
        java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("claude-gateway", payload.getString("aud"));
    assertEquals("vk-new", payload.getString("sub"));
    assertEquals(32, java.util.Base64.getUrlDecoder().decode(parts[2]).length, "the secret part");
    assertEquals(200, call(value).statusCode());

    HttpResponse<String> list = admin("GET", "/api/admin/virtual-keys", null);
    assertFalse(list.body().contains(value), "a listing never shows a value");
    assertFalse(list.body().contains("value_hash"), list.body());
    JsonObject shown = find(new JsonObject(list.body()).getJsonArray("data"), "vk-new");
    assertEquals("api", shown.getString("source"));
    assertEquals("config", find(new JsonObject(list.body()).getJsonArray("data"), "vk-file").getString("source"));

    JsonObject one = new JsonObject(admin("GET", "/api/admin/virtual-keys/vk-new", null).body());
    JsonObject budget = one.getJsonArray("limits").getJsonObject(0);
    assertEquals("vk/vk-new/budget/1M", budget.getString("id"));
    assertEquals(2.0, budget.getDouble("max"));
    assertTrue(budget.getDouble("spent") > 0, "the call above was counted: " + budget);
    assertEquals(2.0 - budget.getDouble("spent") - budget.getDouble("reserved"), budget.getDouble("remaining"), 1e-9);
  }

  @Test
  void should_refuse_a_disabled_key_then_a_rotated_keys_old_value_then_a_deleted_key() throws Exception {
    String value = new JsonObject(admin("POST", "/api/admin/virtual-keys", new JsonObject().put("id", "vk-cycle"))
        .body()).getString("value");
    assertEquals(200, call(value).statusCode());

    assertEquals(200, admin("PATCH", "/api/admin/virtual-keys/vk-cycle", new JsonObject().put("disabled", true))
        .statusCode());
    HttpResponse<String> disabled = call(value);
    assertEquals(403, disabled.statusCode(), disabled.body());
    assertEquals("permission_error", new JsonObject(disabled.body()).getJsonObject("error").getString("type"));
    assertEquals(200, admin("PATCH", "/api/admin/virtual-keys/vk-cycle", new JsonObject().put("disabled", false))
        .statusCode());
    assertEquals(200, call(value).statusCode(), "enabled again, with the same value");

    HttpResponse<String> rotated = admin("POST", "/api/admin/virtual-keys/vk-cycle/rotate", null);
    assertEquals(200, rotated.statusCode(), rotated.body());
    String fresh = new JsonObject(rotated.body()).getString("value");
    assertNotEquals(value, fresh);
    assertEquals(401, call(value).statusCode(), "the old value is refused");
    assertEquals(200, call(fresh).statusCode());

    assertEquals(200, admin("DELETE", "/api/admin/virtual-keys/vk-cycle", null).statusCode());
    assertEquals(401, call(fresh).statusCode());
    assertEquals(404, admin("GET", "/api/admin/virtual-keys/vk-cycle", null).statusCode());
  }

  @Test
  void should_change_a_file_key_and_keep_its_value() throws Exception {
    assertEquals(200, call("tp-file-key-value").statusCode());
    HttpResponse<String> patched = admin("PATCH", "/api/admin/virtual-keys/vk-file",
        new JsonObject().put("allowed_models", new JsonArray().add("openai/gpt-5")));
    assertEquals(200, patched.statusCode(), patched.body());
    assertEquals("config, changed through the API", new JsonObject(patched.body()).getString("source"));
    HttpResponse<String> outside = call("tp-file-key-value");
    assertEquals(403, outside.statusCode(), "the allow-list set through the API applies: " + outside.body());
    assertEquals(200, admin("PATCH", "/api/admin/virtual-keys/vk-file",
        new JsonObject().putNull("allowed_models")).statusCode());
    assertEquals(200, call("tp-file-key-value").statusCode(), "the file's value still works");
  }

  @Test
  void should_refuse_changes_that_break_the_policy_with_reasons() throws Exception {
    HttpResponse<String> unknownTeam = admin("POST", "/api/admin/virtual-keys",
        new JsonObject().put("id", "vk-orphan").put("team", "nobody"));
    assertEquals(400, unknownTeam.statusCode());
    assertTrue(new JsonObject(unknownTeam.body()).getJsonArray("problems").getString(0).contains("'nobody'"),
        unknownTeam.body());
    HttpResponse<String> badBudget = admin("POST", "/api/admin/customers",
        new JsonObject().put("id", "globex").put("budget", new JsonObject().put("max_usd", -1).put("reset", "1d")));
    assertEquals(400, badBudget.statusCode(), badBudget.body());
    assertEquals(409, admin("DELETE", "/api/admin/teams/platform", null).statusCode(), "a key still uses it");
    assertEquals(409, admin("POST", "/api/admin/teams", new JsonObject().put("id", "platform")).statusCode());
    assertEquals(400, admin("PATCH", "/api/admin/virtual-keys/vk-file", new JsonObject().put("value", "x"))
        .statusCode(), "a value changes only by rotation");
    assertEquals(400, admin("POST", "/api/admin/customers", null).statusCode());
    assertEquals(404, admin("GET", "/api/admin/teams/none", null).statusCode());
  }

  @Test
  void should_make_customers_and_teams_whose_budgets_apply_to_their_keys() throws Exception {
    assertEquals(201, admin("POST", "/api/admin/customers", new JsonObject().put("id", "initech")
        .put("budget", new JsonObject().put("max_usd", 0.00001).put("reset", "1d"))).statusCode());
    assertEquals(201, admin("POST", "/api/admin/teams", new JsonObject().put("id", "tps")
        .put("customer", "initech")).statusCode());
    String value = new JsonObject(admin("POST", "/api/admin/virtual-keys", new JsonObject().put("id", "vk-tps")
        .put("team", "tps")).body()).getString("value");
    HttpResponse<String> refused = call(value);
    assertEquals(402, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("customer 'initech'"), refused.body());
  }

  @Test
  void should_need_the_admin_token() throws Exception {
    HttpResponse<String> anonymous = gateway.http().send(HttpRequest.newBuilder(
        URI.create(gateway.url("/api/admin/virtual-keys"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());
  }

  private static HttpResponse<String> call(String key) throws Exception {
    return gateway.post("/anthropic/v1/messages", new JsonObject().put("model", "claude-haiku-4-5")
        .put("max_tokens", 10).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "hi"))).encode(), Map.of("x-api-key", key, "anthropic-version", "2023-06-01"));
  }

  private static HttpResponse<String> admin(String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url(path))).timeout(Duration.ofSeconds(20))
        .header("authorization", "Bearer " + ADMIN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    return gateway.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject find(JsonArray list, String id) {
    return list.stream().map(JsonObject.class::cast).filter(o -> id.equals(o.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError(id + " not in " + list));
  }
}
