package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Before the client has seen a byte, a failure another try may cure is retried on the same target with back-off
 * (an upstream's {@code retry-after} honoured up to the ceiling), then the next target is tried.
 */
class RetriesTest {
  private static Vertx fakes;
  private static FakeAnthropicUpstream primary;
  private static FakeAnthropicUpstream rescue;
  private static GatewayHarness gateway;
  private static Records records;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    primary = new FakeAnthropicUpstream(fakes).start().await();
    rescue = new FakeAnthropicUpstream(fakes).start().await();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 2).put("initial_backoff_ms", 50)
            .put("max_backoff_ms", 200).put("retry_after_max_ms", 2000))
        .put("providers", new JsonObject()
            .put("primary", GatewayHarness.provider("anthropic", primary.baseUrl(), "sk-p"))
            .put("rescue", GatewayHarness.provider("anthropic", rescue.baseUrl(), "sk-r"))
            .put("down", GatewayHarness.provider("anthropic", "http://127.0.0.1:" + closedPort, "sk-d")))
        .put("fallbacks", new JsonObject().put("primary/*", new JsonArray().add("rescue/claude-rescue"))
            .put("down/*", new JsonArray().add("rescue/claude-rescue"))));
    records = Records.of(gateway.node().vertx());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    primary.clearRequests();
    rescue.clearRequests();
    rescue.claudeCodeScript();
  }

  private static String request(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 16).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  private static ExchangeRecord record(HttpResponse<?> response) throws InterruptedException {
    return records.of(response.headers().firstValue("x-turnpike-request-id").orElseThrow());
  }

  @Test
  void should_retry_the_same_target_after_a_529_and_answer_from_it() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    primary.script(r -> calls.incrementAndGet() == 1 ? Reply.error(529, "overloaded_error", "Overloaded")
        : Reply.text("second time lucky"));

    HttpResponse<String> response = gateway.messages(request("primary/claude-x"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("second time lucky", Sse.text(Sse.parse(response.body())));
    assertEquals(2, primary.requests().size());
    assertTrue(rescue.requests().isEmpty());
    assertEquals("default; target=primary/claude-x; attempt=2",
        response.headers().firstValue("x-turnpike-route").orElse(""));
    ExchangeRecord record = record(response);
    assertEquals(java.util.Arrays.asList(FailureCode.UPSTREAM_OVERLOADED, null),
        record.attempts().stream().map(ExchangeRecord.Attempt::outcome).toList());
  }

  @Test
  void should_wait_as_long_as_retry_after_says_when_it_is_under_the_ceiling() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    primary.script(r -> calls.incrementAndGet() == 1 ? Reply.rateLimited(1) : Reply.text("after the wait"));

    HttpResponse<String> response = gateway.messages(request("primary/claude-x"));

    assertEquals(200, response.statusCode(), response.body());
    long gapMs = primary.requests().get(1).receivedAtMillis() - primary.requests().get(0).receivedAtMillis();
    assertTrue(gapMs >= 950, "retried after the upstream's retry-after of 1 s, not before: " + gapMs + " ms");
  }

  @Test
  void should_fail_over_at_once_when_retry_after_is_beyond_the_ceiling() throws Exception {
    primary.script(r -> Reply.rateLimited(30));

    HttpResponse<String> response = gateway.messages(request("primary/claude-x"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(1, primary.requests().size(), "no retry of a target that asked for 30 s");
    assertEquals("rescue/claude-rescue", response.headers().firstValue("x-turnpike-target").orElse(""));
  }

  @Test
  void should_fail_over_after_the_retries_are_used_up() throws Exception {
    primary.script(r -> Reply.error(500, "api_error", "broken"));

    HttpResponse<String> response = gateway.messages(request("primary/claude-x"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(3, primary.requests().size(), "the first try and two retries");
    assertEquals(1, rescue.requests().size());
    assertEquals(4, record(response).attempts().size());
  }

  @Test
  void should_retry_a_refused_connection_then_fail_over() throws Exception {
    HttpResponse<String> response = gateway.messages(request("down/claude-x"));

    assertEquals(200, response.statusCode(), response.body());
    ExchangeRecord record = record(response);
    assertEquals(List.of("down/claude-x", "down/claude-x", "down/claude-x", "rescue/claude-rescue"),
        record.attempts().stream().map(a -> a.target().qualifiedModel()).toList());
    assertNull(record.failure());
  }

  @Test
  void should_not_retry_a_target_that_refused_the_providers_key() throws Exception {
    primary.script(r -> Reply.error(401, "authentication_error", "invalid x-api-key"));

    HttpResponse<String> response = gateway.messages(request("primary/claude-x"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(1, primary.requests().size(), "the same key would be refused again");
    assertEquals(1, rescue.requests().size());
  }

  @Test
  void should_pass_a_final_429_on_after_retries_when_no_fallback_is_left() throws Exception {
    rescue.script(r -> Reply.rateLimited(1));

    HttpResponse<String> response = gateway.messages(request("rescue/claude-x"));

    assertEquals(429, response.statusCode(), response.body());
    assertEquals("1", response.headers().firstValue("retry-after").orElse(""));
    assertEquals(3, rescue.requests().size());
  }
}
