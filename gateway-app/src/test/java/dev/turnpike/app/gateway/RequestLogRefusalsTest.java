package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Governance's refusals are records too: a spent budget (402) and a rate limit (429), under the key refused. And a
 * model with no price (no budget applies to its key) is logged at cost 0, not lost.
 */
class RequestLogRefusalsTest {

  @Test
  void should_log_budget_and_rate_limit_refusals_with_their_error_type() throws Exception {
    Vertx fakes = Vertx.vertx();
    FakeAnthropicUpstream upstream = new FakeAnthropicUpstream(fakes)
        .script(r -> Reply.text("ok").withUsage(10, 10)).start().await();
    try (GatewayHarness gateway = GatewayHarness.start(new JsonObject()
        .put("request_log", new JsonObject().put("batch_ms", 50))
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), "sk-up")))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true).put("virtual_keys", new JsonArray()
            .add(new JsonObject().put("id", "vk-broke").put("value", "tp-broke")
                .put("budget", new JsonObject().put("max_usd", 0).put("reset", "1d")))
            .add(new JsonObject().put("id", "vk-slow").put("value", "tp-slow")
                .put("rate_limit", new JsonObject().put("requests_per_day", 1)))
            .add(new JsonObject().put("id", "vk-free").put("value", "tp-free")))))) {
      assertEquals(402, send(gateway, "tp-broke").statusCode());
      assertEquals(200, send(gateway, "tp-slow").statusCode());
      HttpResponse<String> limited = send(gateway, "tp-slow");
      assertEquals(429, limited.statusCode());
      String limitedId = limited.headers().firstValue("x-turnpike-request-id").orElseThrow();

      JsonObject broke = only(gateway, "virtual_key=vk-broke&error_type=budget_exhausted");
      assertEquals(402, broke.getInteger("status"));
      assertEquals(0L, broke.getLong("input_tokens"));
      JsonObject slow = only(gateway, "virtual_key=vk-slow&status=429");
      assertEquals(limitedId, slow.getString("id"));
      assertEquals("rate_limited", slow.getString("error_type"));

      assertEquals(200, send(gateway, "tp-free", "anthropic/a-model-nobody-priced").statusCode());
      JsonObject unpriced = only(gateway, "virtual_key=vk-free");
      assertEquals(0.0, unpriced.getDouble("cost_usd"));
      assertEquals(10L, unpriced.getLong("input_tokens"));
    } finally {
      fakes.close().await();
    }
  }

  private static HttpResponse<String> send(GatewayHarness gateway, String key) throws Exception {
    return send(gateway, key, "claude-haiku-4-5");
  }

  private static HttpResponse<String> send(GatewayHarness gateway, String key, String model) throws Exception {
    String body = new JsonObject().put("model", model).put("max_tokens", 32)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    return gateway.post("/anthropic/v1/messages", body, Map.of("x-api-key", key, "content-type", "application/json"));
  }

  private static JsonObject only(GatewayHarness gateway, String query) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonObject page = null;
    while (System.nanoTime() < deadline) {
      page = new JsonObject(gateway.get("/api/logs?" + query).body());
      if (page.getLong("total") == 1) {
        return page.getJsonArray("data").getJsonObject(0);
      }
      Thread.sleep(50);
    }
    fail("expected one record for " + query + ", got " + page);
    return null;
  }
}
