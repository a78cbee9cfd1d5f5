package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeOpenAiUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every failure the edge can see reaches the client as Anthropic error JSON with the right status (ARCHITECTURE.md §4),
 * fails over while the client has seen nothing, and a departed client cancels the upstream call.
 */
class EdgeFailuresTest {
  private static Vertx fakes;
  private static FakeAnthropicUpstream anthropic;
  private static FakeAnthropicUpstream flaky;
  private static FakeOpenAiUpstream openai;
  private static DrippingUpstream dripping;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    anthropic = new FakeAnthropicUpstream(fakes).start().await();
    flaky = new FakeAnthropicUpstream(fakes).start().await();
    openai = new FakeOpenAiUpstream(fakes).start().await();
    dripping = new DrippingUpstream(fakes).start();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    gateway = GatewayHarness.start(new JsonObject()
        .put("server", new JsonObject().put("max_body_bytes", 200_000))
        .put("timeouts", new JsonObject().put("connect_ms", 1000).put("first_byte_ms", 800).put("idle_ms", 800))
        .put("retries", new JsonObject().put("max_retries", 0)) // failover alone here; RetriesTest retries
        .put("providers", new JsonObject()
            .put("anthropic", provider("anthropic", anthropic.baseUrl()))
            .put("flaky", provider("anthropic", flaky.baseUrl()))
            .put("openai", provider("openai", openai.baseUrl()))
            .put("down", provider("anthropic", "http://127.0.0.1:" + closedPort))
            .put("drip", provider("anthropic", dripping.baseUrl())))
        .put("fallbacks", new JsonObject()
            .put("flaky/*", new JsonArray().add("openai/gpt-fallback"))
            .put("down/*", new JsonArray().add("anthropic/claude-rescue"))));
  }

  private static JsonObject provider(String dialect, String baseUrl) {
    return GatewayHarness.provider(dialect, baseUrl, "sk-upstream");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    for (var fake : new FakeAnthropicUpstream[] {anthropic, flaky}) {
      fake.reset();
    }
    openai.reset();
  }

  private static String request(String model, boolean stream) {
    return new JsonObject().put("model", model).put("max_tokens", 64).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  private static void assertAnthropicError(HttpResponse<String> response, int status, String type) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    JsonObject body = new JsonObject(response.body());
    assertEquals("error", body.getString("type"));
    assertEquals(type, body.getJsonObject("error").getString("type"));
    String message = body.getJsonObject("error").getString("message");
    assertFalse(message.isBlank());
    assertFalse(message.contains("Exception") || message.contains("\tat "), "no stack trace: " + message);
    assertFalse(message.contains("sk-upstream") || message.contains(GatewayHarness.CLIENT_KEY), "no secret");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not json           | {\"model\":                                   | 400 | invalid_request_error",
      "not an object      | [1,2]                                         | 400 | invalid_request_error",
      "missing model      | {\"max_tokens\":5,\"messages\":[]}           | 400 | invalid_request_error",
      "missing messages   | {\"model\":\"claude-x\",\"max_tokens\":5}   | 400 | invalid_request_error",
      "missing max_tokens | {\"model\":\"claude-x\",\"messages\":[]}     | 400 | invalid_request_error",
      "unknown provider   | {\"model\":\"gemini-2.5-pro\",\"max_tokens\":5,\"messages\":[]} | 404 | not_found_error"})
  void should_refuse_bad_input_with_anthropic_error_json(String name, String body, int status, String type)
      throws Exception {
    assertAnthropicError(gateway.messages(body), status, type);
  }

  @Test
  void should_refuse_a_body_over_the_limit_with_413() throws Exception {
    String huge = request("claude-x", false).replace("\"hi\"", "\"" + "x".repeat(300_000) + "\"");

    assertAnthropicError(gateway.messages(huge), 413, "request_too_large");
  }

  @Test
  void should_pass_the_last_upstreams_error_unchanged_when_no_fallback_is_left() throws Exception {
    anthropic.script(r -> Reply.error(503, "overloaded_error", "also down"));

    HttpResponse<String> response = gateway.messages(request("down/claude-x", false));

    assertAnthropicError(response, 503, "overloaded_error");
    assertEquals("also down", new JsonObject(response.body()).getJsonObject("error").getString("message"),
        "the upstream's own words, not a rewording");
    assertEquals(1, anthropic.requests().size(), "fell back to the configured rescue target once");
  }

  @Test
  void should_answer_count_tokens_with_an_estimate_when_the_upstream_is_unreachable() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens",
        request("down/claude-x", false), Map.of("x-api-key", GatewayHarness.CLIENT_KEY));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(new JsonObject(response.body()).getInteger("input_tokens") >= 1);
  }

  @Test
  void should_fail_over_to_the_fallback_when_the_upstream_is_unreachable() throws Exception {
    HttpResponse<String> response = gateway.messages(request("down/claude-x", true));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("anthropic/claude-rescue", response.headers().firstValue("x-turnpike-target").orElse(""));
    assertEquals("claude-rescue", anthropic.requests().get(0).json().getString("model"));
  }

  @Test
  void should_fail_over_across_dialects_when_the_primary_is_overloaded() throws Exception {
    flaky.script(r -> Reply.error(529, "overloaded_error", "Overloaded"));

    HttpResponse<String> response = gateway.messages(request("flaky/claude-x", true));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("openai/gpt-fallback", response.headers().firstValue("x-turnpike-target").orElse(""));
    assertTrue(Sse.text(Sse.parse(response.body())).startsWith(openai.marker()));
    assertEquals(1, flaky.requests().size());
    assertEquals("gpt-fallback", openai.requests().get(0).json().getString("model"));
  }

  @Test
  void should_not_fail_over_when_the_upstream_says_the_request_is_invalid() throws Exception {
    flaky.script(r -> Reply.error(400, "invalid_request_error", "bad tools"));

    assertAnthropicError(gateway.messages(request("flaky/claude-x", true)), 400, "invalid_request_error");
    assertTrue(openai.requests().isEmpty());
  }

  @Test
  void should_answer_504_when_the_upstream_sends_no_first_byte_in_time() throws Exception {
    anthropic.faults(Faults.none().delayFirstByte(3000));

    assertAnthropicError(gateway.messages(request("anthropic/claude-slow", false)), 504, "api_error");
  }

  @Test
  void should_end_with_an_error_event_when_the_upstream_goes_idle_mid_stream() throws Exception {
    anthropic.faults(Faults.none().stallAfterEvents(3));

    HttpResponse<String> response = gateway.messages(request("anthropic/claude-stall", true));

    assertEquals(200, response.statusCode());
    var events = Sse.parse(response.body());
    assertEquals("message_start", events.get(0).event());
    assertEquals("error", events.get(events.size() - 1).event());
    assertTrue(events.get(events.size() - 1).data().getJsonObject("error").getString("message").contains("800 ms"));
  }

  @Test
  void should_cancel_the_upstream_call_when_the_client_goes_away() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url("/anthropic/v1/messages")))
        .timeout(Duration.ofSeconds(10)).header("x-api-key", GatewayHarness.CLIENT_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(request("drip/claude-drip", true))).build();
    HttpResponse<InputStream> response = gateway.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      byte[] first = body.readNBytes(20);
      assertTrue(new String(first, StandardCharsets.UTF_8).startsWith("event: "));
    }
    // Closing the stream early aborts the client's connection; the gateway must reset the upstream call.
    long closedAt = dripping.closed.get(5, TimeUnit.SECONDS);
    assertTrue(dripping.eventsWritten.get() < 40, "upstream stopped well before its 200 events");
    assertTrue(closedAt > 0);
  }

  @Test
  void should_answer_head_probes_and_list_configured_models() throws Exception {
    HttpResponse<Void> head = gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.url("/anthropic")))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode());
    assertEquals(200, gateway.get("/health/ready").statusCode());
    assertEquals(200, gateway.get("/anthropic/v1/models").statusCode());
    assertEquals("list", new JsonObject(gateway.get("/v1/models").body()).getString("object"));
  }

  @Test
  void should_answer_unknown_paths_with_not_found_error() throws Exception {
    assertAnthropicError(gateway.post("/anthropic/v1/nothing", "{}", Map.of()), 404, "not_found_error");
  }

  /** An Anthropic-shaped upstream that writes one SSE event every 25 ms and notes when its client hangs up. */
  static final class DrippingUpstream {
    final CompletableFuture<Long> closed = new CompletableFuture<>();
    final AtomicLong eventsWritten = new AtomicLong();
    private final Vertx vertx;
    private int port;

    DrippingUpstream(Vertx vertx) {
      this.vertx = vertx;
    }

    DrippingUpstream start() {
      var server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        var response = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
        response.write("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
            + "{\"input_tokens\":3,\"output_tokens\":1}}}\n\n");
        long timer = vertx.setPeriodic(25, id -> {
          if (eventsWritten.incrementAndGet() > 200) {
            vertx.cancelTimer(id);
            response.end();
          } else {
            response.write("event: ping\ndata: {\"type\": \"ping\"}\n\n");
          }
        });
        response.closeHandler(v -> {
          vertx.cancelTimer(timer);
          closed.complete(System.nanoTime());
        });
      })).listen(0, "127.0.0.1").await();
      port = server.actualPort();
      return this;
    }

    String baseUrl() {
      return "http://127.0.0.1:" + port;
    }
  }
}
