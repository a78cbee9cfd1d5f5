package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Budgets, rate limits and allow-lists over HTTP on one node: a key spends until its budget cannot hold the next
 * request's worst case, then gets a 402 that names the budget and its reset; a failover releases the failed
 * attempt's reservation; rate limits answer 429 with {@code retry-after}; a key's allow-list is checked on the
 * target routing chose.
 */
class BudgetsTest {
  /** claude-haiku-4-5: $1 in, $5 out, $1.25 cache write per MTok (built-in price). */
  private static final long COST_NANOS = 30 * 1_000 + 4 * 5_000;
  private static Vertx fakes;
  private static FakeAnthropicUpstream good;
  private static FakeAnthropicUpstream sick;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    // The upstream account's own unified window (a subscription's 5-hour limit), as Anthropic would send it.
    good = new FakeAnthropicUpstream(fakes).script(r -> Reply.text("hello").withUsage(30, 4)
        .withHeaders(Map.of("anthropic-ratelimit-unified-5h-utilization", "0.42"))).start().await();
    sick = new FakeAnthropicUpstream(fakes).script(r -> Reply.error(529, "overloaded_error", "Overloaded"))
        .start().await();
    gateway = GatewayHarness.start(new JsonObject("""
        {"admin": {"token": "adm"},
         "retries": {"max_retries": 0},
         "providers": {
           "anthropic": {"dialect": "anthropic", "base_url": "%s", "keys": [{"value": "sk-up"}]},
           "sick": {"dialect": "anthropic", "base_url": "%s", "keys": [{"value": "sk-up"}]},
           "metered": {"dialect": "anthropic", "base_url": "%s", "keys": [{"value": "sk-up"}],
                       "rate_limit": {"requests_per_minute": 2}},
           "unpriced": {"dialect": "anthropic", "base_url": "%s", "keys": [{"value": "sk-up"}]}},
         "fallbacks": {"sick/*": ["anthropic/claude-haiku-4-5"]},
         "routing_rules": [{"name": "to-opus", "cel_expression": "model == 'route-me'",
                            "targets": [{"provider": "anthropic", "model": "claude-opus-4-5"}]}],
         "governance": {"enforce_virtual_keys": true,
           "virtual_keys": [
             {"id": "vk-capped", "value": "tp-capped", "budget": {"max_usd": 0.001, "reset": "1d"}},
             {"id": "vk-exact", "value": "tp-exact", "budget": {"max_usd": 0.00060, "reset": "1d"}},
             {"id": "vk-rpm", "value": "tp-rpm", "rate_limit": {"requests_per_minute": 2}},
             {"id": "vk-free", "value": "tp-free"},
             {"id": "vk-haiku", "value": "tp-haiku", "allowed_models": ["anthropic/claude-haiku-4-5"]},
             {"id": "vk-priced", "value": "tp-priced", "budget": {"max_usd": 5, "reset": "1M"}}]}}"""
        .formatted(good.baseUrl(), sick.baseUrl(), good.baseUrl(), good.baseUrl())));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  /** About 150 bytes: the budget reserves 50 input tokens and 100 of output. */
  private static String body(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 100)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi there"))).encode();
  }

  private static HttpResponse<String> send(String model, Map<String, String> headers) throws Exception {
    return gateway.post("/anthropic/v1/messages", body(model), headers);
  }

  private static JsonObject error(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error");
  }

  private static JsonObject limit(String id) throws Exception {
    HttpResponse<String> usage = gateway.http().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(gateway.url("/api/admin/usage"))).header("authorization", "Bearer adm").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    JsonArray limits = new JsonObject(usage.body()).getJsonArray("limits");
    for (Object row : limits) {
      if (((JsonObject) row).getString("id").equals(id)) {
        return (JsonObject) row;
      }
    }
    return null;
  }

  @Test
  void should_answer_402_naming_the_budget_and_its_reset_once_it_cannot_hold_the_next_worst_case() throws Exception {
    long worstCase = (body("claude-haiku-4-5").length() + 2) / 3 * 1_250L + 100 * 5_000L;
    int answered = 0;
    HttpResponse<String> refused = null;
    for (int i = 0; i < 40 && refused == null; i++) {
      HttpResponse<String> response = send("claude-haiku-4-5", Map.of("x-api-key", "tp-capped"));
      if (response.statusCode() == 200) {
        answered++;
      } else {
        refused = response;
      }
    }

    assertTrue(refused != null, "never refused");
    assertEquals(402, refused.statusCode(), refused.body());
    assertEquals("billing_error", error(refused).getString("type"));
    String tomorrow = Instant.now().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(1).toInstant().toString();
    assertTrue(error(refused).getString("message").startsWith("Budget of virtual key 'vk-capped' (1d budget) reached"),
        refused.body());
    assertTrue(error(refused).getString("message").endsWith("resets at " + tomorrow), refused.body());
    assertEquals("false", refused.headers().firstValue("x-should-retry").orElse(null));
    assertEquals("rejected", refused.headers().firstValue("anthropic-ratelimit-unified-status").orElse(null));
    assertEquals("org_spend_cap_reached",
        refused.headers().firstValue("anthropic-ratelimit-unified-overage-disabled-reason").orElse(null));
    assertTrue(refused.headers().firstValue("retry-after").isPresent());
    long spent = answered * COST_NANOS;
    assertTrue(spent <= 1_000_000, "spent " + spent);
    assertTrue(1_000_000 - spent < worstCase, "refused with " + (1_000_000 - spent) + " nano-USD left, more than a"
        + " worst case of " + worstCase + " (answered " + answered + ")");
    JsonObject row = limit("vk/vk-capped/budget/1d");
    assertEquals(spent / 1e9, row.getDouble("spent"), 1e-12, row.encode());
  }

  @Test
  void should_release_a_failed_attempts_reservation_before_the_fallback_reserves() throws Exception {
    // vk-exact's budget holds one worst case (~$0.000563) but not two: the fallback only fits if the 529 released.
    HttpResponse<String> response = send("sick/claude-haiku-4-5", Map.of("x-api-key", "tp-exact"));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("x-turnpike-route").orElse("").contains("attempt=2"),
        response.headers().map().toString());
  }

  @Test
  void should_accept_a_virtual_key_in_each_of_the_three_headers() throws Exception {
    assertEquals(200, send("claude-haiku-4-5", Map.of("x-api-key", "tp-free")).statusCode());
    assertEquals(200, send("claude-haiku-4-5", Map.of("authorization", "Bearer tp-free")).statusCode());
    assertEquals(200, send("claude-haiku-4-5", Map.of("x-turnpike-vk", "tp-free",
        "x-api-key", "sk-ant-the-users-own-key")).statusCode());
  }

  @Test
  void should_answer_429_with_retry_after_in_whole_seconds_when_a_keys_request_rate_is_used() throws Exception {
    assertEquals(200, send("claude-haiku-4-5", Map.of("x-api-key", "tp-rpm")).statusCode());
    assertEquals(200, send("claude-haiku-4-5", Map.of("x-api-key", "tp-rpm")).statusCode());
    HttpResponse<String> third = send("claude-haiku-4-5", Map.of("x-api-key", "tp-rpm"));

    if (third.statusCode() == 200) {
      // The minute turned between the calls: the window started again, as it should. Try once more in it.
      assertEquals(200, send("claude-haiku-4-5", Map.of("x-api-key", "tp-rpm")).statusCode());
      third = send("claude-haiku-4-5", Map.of("x-api-key", "tp-rpm"));
    }
    assertEquals(429, third.statusCode(), third.body());
    assertEquals("rate_limit_error", error(third).getString("type"));
    int retryAfter = Integer.parseInt(third.headers().firstValue("retry-after").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "retry-after " + retryAfter);
    assertTrue(error(third).getString("message").contains("virtual key 'vk-rpm' (2 requests per minute)"),
        third.body());
  }

  @Test
  void should_apply_a_providers_rate_limit_to_every_caller() throws Exception {
    int ok = 0;
    int limited = 0;
    for (int i = 0; i < 5; i++) {
      int status = send("metered/claude-haiku-4-5", Map.of("x-api-key", i % 2 == 0 ? "tp-free" : "tp-priced"))
          .statusCode();
      ok += status == 200 ? 1 : 0;
      limited += status == 429 ? 1 : 0;
    }

    assertTrue(ok >= 2 && ok <= 4, "2 per minute (one window turn at most): " + ok);
    assertEquals(5 - ok, limited);
  }

  @Test
  void should_refuse_with_403_a_target_outside_the_keys_allow_list_even_when_routing_chose_it() throws Exception {
    HttpResponse<String> direct = send("claude-opus-4-5", Map.of("x-api-key", "tp-haiku"));
    HttpResponse<String> routed = send("route-me", Map.of("x-api-key", "tp-haiku"));

    assertEquals(403, direct.statusCode(), direct.body());
    assertEquals("permission_error", error(direct).getString("type"));
    assertEquals("Virtual key 'vk-haiku' may not use anthropic/claude-opus-4-5", error(routed).getString("message"));
    assertEquals(200, send("claude-haiku-4-5", Map.of("x-api-key", "tp-haiku")).statusCode());
  }

  @Test
  void should_refuse_a_model_without_a_price_when_a_budget_applies_and_not_count_it_as_free() throws Exception {
    HttpResponse<String> refused = send("unpriced/my-finetune", Map.of("x-api-key", "tp-priced"));
    HttpResponse<String> unbudgeted = send("unpriced/my-finetune", Map.of("x-api-key", "tp-free"));

    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(error(refused).getString("message").startsWith("No price is known for unpriced/my-finetune"));
    assertEquals(200, unbudgeted.statusCode(), "no budget applies: the price does not matter");
  }

  @Test
  void should_tell_an_answer_under_budget_its_utilization_in_the_headers_anthropics_gateway_sends() throws Exception {
    HttpResponse<String> response = send("claude-haiku-4-5", Map.of("x-api-key", "tp-priced"));
    HttpResponse<String> unbudgeted = send("claude-haiku-4-5", Map.of("x-api-key", "tp-free"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("allowed", response.headers().firstValue("anthropic-ratelimit-unified-status").orElse(null));
    assertEquals("overage", response.headers().firstValue("anthropic-ratelimit-unified-representative-claim")
        .orElse(null));
    long reset = Long.parseLong(response.headers().firstValue("anthropic-ratelimit-unified-reset").orElseThrow());
    assertEquals(Instant.now().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).plusMonths(1)
        .toEpochSecond(), reset);
    assertNull(unbudgeted.headers().firstValue("anthropic-ratelimit-unified-status").orElse(null));
    assertFalse(response.headers().map().toString().contains("tp-priced"));
    assertNull(response.headers().firstValue("anthropic-ratelimit-unified-5h-utilization").orElse(null),
        "the upstream account's window does not mix with the budget's");
    assertEquals("0.42", unbudgeted.headers().firstValue("anthropic-ratelimit-unified-5h-utilization").orElse(null),
        "without a budget the upstream's headers pass");
  }
}
