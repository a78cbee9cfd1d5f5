package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With governance on, only configured virtual keys get through, and usage is counted per virtual key. */
class VirtualKeyTest {
  private static Vertx fakes;
  private static FakeAnthropicUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    upstream = new FakeAnthropicUpstream(fakes).script(r -> Reply.text("hello").withUsage(30, 4)).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("providers", new JsonObject().put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), "sk-upstream")))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true)
            .put("customers", new JsonArray().add(new JsonObject().put("id", "acme")))
            .put("teams", new JsonArray().add(new JsonObject().put("id", "platform").put("customer", "acme")))
            .put("virtual_keys", new JsonArray()
                .add(new JsonObject().put("id", "vk-alice").put("value", "tp-vk-alice-secret").put("team", "platform")))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  private static String body() {
    return new JsonObject().put("model", "claude-haiku-4-5").put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  @Test
  void should_refuse_unknown_and_missing_keys_with_authentication_error() throws Exception {
    HttpResponse<String> wrong = gateway.post("/anthropic/v1/messages", body(), Map.of("x-api-key", "tp-vk-nobody"));
    HttpResponse<String> none = gateway.post("/anthropic/v1/messages", body(), Map.of());

    assertEquals(401, wrong.statusCode());
    assertEquals("authentication_error", new JsonObject(wrong.body()).getJsonObject("error").getString("type"));
    assertEquals(401, none.statusCode());
    assertFalse(wrong.body().contains("tp-vk-nobody"), "the key is not echoed");
  }

  @Test
  void should_ask_for_a_key_when_the_bearer_token_is_blank() throws Exception {
    HttpResponse<String> blank = gateway.post("/anthropic/v1/messages", body(), Map.of("authorization", "Bearer   "));

    assertEquals(401, blank.statusCode());
    assertTrue(new JsonObject(blank.body()).getJsonObject("error").getString("message").contains("is required"),
        blank.body());
  }

  @Test
  void should_admit_a_virtual_key_as_bearer_token_and_count_usage_under_its_id() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages", body(),
        Map.of("authorization", "Bearer tp-vk-alice-secret"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("sk-upstream", upstream.requests().get(upstream.requests().size() - 1).header("x-api-key"));
    JsonObject alice = new JsonObject(gateway.get("/api/admin/usage").body()).getJsonObject("by_subject")
        .getJsonObject("vk-alice");
    assertTrue(alice.getLong("requests") >= 1);
    assertEquals(alice.getLong("requests") * 30, alice.getLong("input_tokens"));
    assertEquals(alice.getLong("requests") * 4, alice.getLong("output_tokens"));
  }
}
