package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Content is kept only where it is turned on (here for one virtual key, the node's default being off), and cut at
 * {@code request_log.content_max_bytes} without splitting a character.
 */
class RequestLogContentTest {

  @Test
  void should_keep_content_only_for_the_key_that_asks_and_cut_it_at_the_cap() throws Exception {
    Vertx fakes = Vertx.vertx();
    FakeAnthropicUpstream upstream = new FakeAnthropicUpstream(fakes)
        .script(r -> Reply.text("a reply long enough to pass the cap of sixty-four bytes, surely")).start().await();
    try (GatewayHarness gateway = GatewayHarness.start(new JsonObject()
        .put("request_log", new JsonObject().put("content_max_bytes", 64).put("batch_ms", 50))
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), "sk-up")))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true).put("virtual_keys", new JsonArray()
            .add(new JsonObject().put("id", "vk-quiet").put("value", "tp-quiet"))
            .add(new JsonObject().put("id", "vk-logged").put("value", "tp-logged").put("log_content", true)))))) {
      String quiet = send(gateway, "tp-quiet");
      String logged = send(gateway, "tp-logged");

      JsonObject kept = awaitEntry(gateway, logged).getJsonObject("content");
      assertTrue(kept.getBoolean("truncated"));
      String request = kept.getString("request");
      // {"system":" is 11 bytes and each é two: the 64th byte is the first half of the 27th é, which is dropped.
      assertEquals("{\"system\":\"" + "é".repeat(26), request);
      assertEquals(63, request.getBytes(StandardCharsets.UTF_8).length);
      assertTrue(kept.getString("response").getBytes(StandardCharsets.UTF_8).length <= 64);
      assertFalse(kept.getString("response").isEmpty());
      assertFalse(request.contains("tp-logged"), "headers, and so keys, are never kept");

      JsonObject notKept = awaitEntry(gateway, quiet);
      assertNull(notKept.getValue("content"));
      JsonObject search = new JsonObject(gateway.get("/api/logs?q=" + java.net.URLEncoder.encode("éé",
          StandardCharsets.UTF_8)).body());
      assertEquals(1, search.getJsonArray("data").size(), "only kept content is searched");
      assertEquals(logged, search.getJsonArray("data").getJsonObject(0).getString("id"));
    } finally {
      fakes.close().await();
    }
  }

  private static String send(GatewayHarness gateway, String key) throws Exception {
    // "é" is two bytes in UTF-8, so a byte cap can fall inside one.
    String body = new JsonObject().put("system", "é".repeat(40)).put("model", "claude-haiku-4-5")
        .put("max_tokens", 32).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "hello"))).encode();
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages", body, Map.of("x-api-key", key,
        "content-type", "application/json"));
    assertEquals(200, response.statusCode(), response.body());
    return response.headers().firstValue("x-turnpike-request-id").orElseThrow();
  }

  private static JsonObject awaitEntry(GatewayHarness gateway, String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = gateway.get("/api/logs/" + id);
      if (response.statusCode() == 200) {
        return new JsonObject(response.body());
      }
      Thread.sleep(50);
    }
    fail("no record " + id);
    return null;
  }
}
