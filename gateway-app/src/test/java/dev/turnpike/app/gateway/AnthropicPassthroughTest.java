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
import java.nio.file.Files;
import java.nio.file.Path;
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
    upstream.clearRequests();
    upstream.faults(Faults.none()).claudeCodeScript();
  }

  static String capture(String name) throws Exception {
    JsonObject file = new JsonObject(Files.readString(Path.of("..", "fixtures", "claude-code", name)));
    return (file.containsKey("body") && file.containsKey("headers") ? file.getJsonObject("body") : file).encode();
  }

  @Test
  void should_forward_the_client_bytes_unchanged_but_model_and_key_when_streaming_a_claude_code_request()
      throws Exception {
    String body = capture("cc2.1.332-anthropic_req_with_tool_result.json")
        .replaceFirst("\"model\":\"[^\"]*\"", "\"model\":\"anthropic/claude-sonnet-4-5\"");
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
    String body = capture("cc2.1.332-anthropic_count_tokens_req.json");
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
    String body = capture("cc2.1.332-anthropic_count_tokens_req.json");
    upstream.countTokensScript(request -> Reply.error(404, "not_found_error", "no such endpoint"));

    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens", body,
        Map.of("x-api-key", GatewayHarness.CLIENT_KEY));

    assertEquals(200, response.statusCode(), response.body());
    int estimate = new JsonObject(response.body()).getInteger("input_tokens");
    assertTrue(estimate > 10 && estimate < body.length() / 2, "plausible estimate: " + estimate);
    upstream.countTokensScript(null);
  }

  @Test
  void should_report_the_upstream_error_in_anthropic_json_when_upstream_refuses() throws Exception {
    upstream.script(request -> Reply.error(400, "invalid_request_error", "messages.0: bad role"));
    String body = new JsonObject().put("model", "claude-sonnet-4-5").put("max_tokens", 10)
        .put("messages", new JsonArray()).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(400, response.statusCode());
    JsonObject error = new JsonObject(response.body());
    assertEquals("error", error.getString("type"));
    assertEquals("invalid_request_error", error.getJsonObject("error").getString("type"));
    assertTrue(error.getJsonObject("error").getString("message").contains("messages.0: bad role"));
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
