package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dialect {@code anthropic}: the upstream gets the client's bytes with only the model and the key changed. */
class AnthropicPassthroughTest {
  private static final String UPSTREAM_KEY = "sk-ant-upstream-configured";
  private static Vertx fakes;
  private static FakeAnthropicUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    upstream = new FakeAnthropicUpstream(fakes).requireKey(UPSTREAM_KEY).start().await();
    gateway = GatewayHarness.start(new JsonObject().put("providers", new JsonObject()
        .put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), UPSTREAM_KEY))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  @Test
  void should_forward_the_client_bytes_unchanged_but_model_and_key_when_streaming_a_claude_code_request()
      throws Exception {
    String body = ClaudeCodeCaptures.body("cc2.1.332-anthropic_req_with_tool_result.json",
        "anthropic/claude-sonnet-4-5");
    upstream.faults(Faults.none().splitEvery(7));

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest received = upstream.requests("/v1/messages").get(0);
    String expected = body.replace("\"model\":\"anthropic/claude-sonnet-4-5\"", "\"model\":\"claude-sonnet-4-5\"");
    assertEquals(expected, received.body().toString(StandardCharsets.UTF_8));
    assertEquals("beta=true", received.query());
    assertEquals("2023-06-01", received.header("anthropic-version"));
    assertEquals("claude-code-20250219,interleaved-thinking-2025-05-14", received.header("anthropic-beta"));
    assertEquals(UPSTREAM_KEY, received.header("x-api-key"));
    assertFalse(received.contains(GatewayHarness.CLIENT_KEY), "client key leaked upstream");
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<Sse> events = Sse.parse(response.body());
    assertEquals("message_start", events.get(0).event());
    assertEquals("message_stop", events.get(events.size() - 1).event());
    assertTrue(Sse.text(events).contains(upstream.marker() + " \u2713 done \u2014"), "UTF-8 split intact");
  }

  @Test
  void should_pass_the_upstream_sse_bytes_through_unchanged() throws Exception {
    String body = new JsonObject().put("model", "claude-haiku-4-5").put("max_tokens", 50).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    upstream.faults(Faults.none().splitEvery(5));

    String viaGateway = gateway.messages(body).body();

    // The fake's ids come from a counter; mask them and compare the rest byte for byte with a direct call.
    upstream.faults(Faults.none());
    String direct = new String(gateway.http().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(upstream.baseUrl() + "/v1/messages")).header("x-api-key", UPSTREAM_KEY)
        .header("anthropic-version", "2023-06-01").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofByteArray()).body(), StandardCharsets.UTF_8);
    assertEquals(maskIds(direct), maskIds(viaGateway));
  }

  @Test
  void should_return_the_message_json_when_not_streaming() throws Exception {
    String body = new JsonObject().put("model", "claude-sonnet-4-5").put("max_tokens", 100)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode());
    JsonObject message = new JsonObject(response.body());
    assertEquals("message", message.getString("type"));
    assertTrue(message.getJsonArray("content").getJsonObject(0).getString("text").startsWith(upstream.marker()));
    assertEquals("claude-sonnet-4-5", upstream.requests().get(0).json().getString("model"));
  }

  @Test
  void should_forward_count_tokens_to_the_upstream() throws Exception {
    String body = ClaudeCodeCaptures.body("cc2.1.332-anthropic_count_tokens_req.json");
    upstream.countTokensScript(request -> Reply.raw(200, "application/json", "{\"input_tokens\":4242}"));

    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens?beta=true", body,
        Map.of("x-api-key", GatewayHarness.CLIENT_KEY, "anthropic-version", "2023-06-01"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(4242, new JsonObject(response.body()).getInteger("input_tokens"));
    assertEquals(1, upstream.requests("/v1/messages/count_tokens").size());
    upstream.countTokensScript(null);
  }

  @Test
  void should_estimate_count_tokens_locally_when_upstream_has_no_such_endpoint() throws Exception {
    String body = ClaudeCodeCaptures.body("cc2.1.332-anthropic_count_tokens_req.json");
    upstream.countTokensScript(request -> Reply.error(404, "not_found_error", "no such endpoint"));

    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens", body,
        Map.of("x-api-key", GatewayHarness.CLIENT_KEY));

    assertEquals(200, response.statusCode(), response.body());
    int estimate = new JsonObject(response.body()).getInteger("input_tokens");
    assertTrue(estimate > 10 && estimate < body.length() / 2, "plausible estimate: " + estimate);
    upstream.countTokensScript(null);
  }

  @Test
  void should_pass_a_final_upstream_error_unchanged_with_its_retry_headers() throws Exception {
    // Claude Code matches on the upstream's own wording (e.g. "prompt is too long" starts compaction): a long,
    // multi-line message must arrive as sent, not reworded, flattened or cut.
    String message = "prompt is too long: 210000 tokens > 200000 maximum\n" + "detail ".repeat(80);
    upstream.script(request -> Reply.error(400, "invalid_request_error", message)
        .withHeaders(Map.of("x-should-retry", "false", "anthropic-ratelimit-tokens-remaining", "1234")));
    String body = new JsonObject().put("model", "claude-sonnet-4-5").put("max_tokens", 10)
        .put("messages", new JsonArray()).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(400, response.statusCode());
    assertEquals(new JsonObject().put("type", "error").put("error", new JsonObject()
        .put("type", "invalid_request_error").put("message", message)), new JsonObject(response.body()));
    assertEquals("false", response.headers().firstValue("x-should-retry").orElse(""));
    assertEquals("1234", response.headers().firstValue("anthropic-ratelimit-tokens-remaining").orElse(""));
    assertTrue(response.headers().firstValue("request-id").orElse("").startsWith("req_"));
    assertTrue(response.headers().firstValue("x-turnpike-request-id").isPresent());
  }

  @Test
  void should_answer_502_naming_the_provider_when_the_upstream_refuses_the_operators_key() throws Exception {
    // Passed on, a 401 would tell Claude Code that the developer's own key is wrong ("run /login").
    upstream.script(request -> Reply.error(401, "authentication_error", "invalid x-api-key"));
    String body = new JsonObject().put("model", "claude-sonnet-4-5").put("max_tokens", 10)
        .put("messages", new JsonArray()).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(502, response.statusCode());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("api_error", error.getString("type"));
    assertTrue(error.getString("message").contains("Provider 'anthropic' answered 401"), error.getString("message"));
  }

  @Test
  void should_keep_proxy_headers_from_the_upstream_and_account_ids_from_the_client() throws Exception {
    upstream.script(request -> Reply.text("hi").withHeaders(Map.of("anthropic-organization-id", "org-operator",
        "openai-organization", "org-x", "openai-project", "proj-x", "set-cookie", "session=operator")));
    String body = new JsonObject().put("model", "claude-sonnet-4-5").put("max_tokens", 10).put("stream", true)
        .put("messages", new JsonArray()).encode();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.url("/anthropic/v1/messages")))
        .expectContinue(true)
        .header("x-api-key", GatewayHarness.CLIENT_KEY).header("anthropic-version", "2023-06-01")
        .header("x-forwarded-for", "10.1.2.3").header("x-forwarded-proto", "https").header("x-forwarded-host", "gw")
        .header("forwarded", "for=10.1.2.3").header("x-real-ip", "10.1.2.3").header("cookie", "a=b")
        .header("x-claude-code-session-id", "session-1").header("anthropic-beta", "some-new-beta-2031-01-01")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();

    HttpResponse<String> response = gateway.http().send(request, HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest received = upstream.requests("/v1/messages").get(0);
    for (String name : List.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "x-real-ip",
        "expect", "cookie")) {
      assertEquals(null, received.header(name), name + " reached the upstream");
    }
    assertEquals("session-1", received.header("x-claude-code-session-id"), "x-claude-code-* headers pass");
    assertEquals("some-new-beta-2031-01-01", received.header("anthropic-beta"), "no beta value is filtered");
    for (String name : List.of("anthropic-organization-id", "openai-organization", "openai-project", "set-cookie")) {
      assertTrue(response.headers().firstValue(name).isEmpty(), name + " reached the client");
    }
  }

  @Test
  void should_answer_count_tokens_with_an_estimate_when_the_upstream_refuses_the_key_or_fails() throws Exception {
    String body = ClaudeCodeCaptures.body("cc2.1.332-anthropic_count_tokens_req.json");
    for (Reply reply : List.of(Reply.error(401, "authentication_error", "bad key"),
        Reply.error(403, "permission_error", "no access"), Reply.error(500, "api_error", "boom"),
        Reply.error(529, "overloaded_error", "busy"))) {
      upstream.countTokensScript(request -> reply);

      HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens", body,
          Map.of("x-api-key", GatewayHarness.CLIENT_KEY));

      assertEquals(200, response.statusCode(), response.body());
      assertTrue(new JsonObject(response.body()).getInteger("input_tokens") > 10);
    }
    upstream.countTokensScript(request -> Reply.error(400, "invalid_request_error", "messages: required"));
    HttpResponse<String> invalid = gateway.post("/anthropic/v1/messages/count_tokens", body,
        Map.of("x-api-key", GatewayHarness.CLIENT_KEY));
    assertEquals(400, invalid.statusCode(), "the client's own mistake is still shown");
    upstream.countTokensScript(null);
  }

  @Test
  void should_pass_the_upstream_retry_after_on_when_rate_limited() throws Exception {
    upstream.script(request -> Reply.rateLimited(7));
    String body = new JsonObject().put("model", "claude-sonnet-4-5").put("max_tokens", 10)
        .put("messages", new JsonArray()).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(429, response.statusCode());
    assertEquals("rate_limit_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
    assertEquals("7", response.headers().firstValue("retry-after").orElse(""));
  }

  private static String maskIds(String sse) {
    Matcher m = Pattern.compile("\"(msg|toolu|req)_[0-9a-zA-Z]+\"").matcher(sse);
    return m.replaceAll("\"$1_X\"");
  }
}
