package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches the client is always a well-formed stream in its dialect, and what the record says matches what
 * happened: no model the upstream sees other than the one routed, no error event glued to a partial one, no
 * truncated answer reported as complete, no headers of an abandoned attempt, no upstream call left running for
 * a client that is gone.
 */
class StreamIntegrityTest {
  private static final String MESSAGE_START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
      + "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\","
      + "\"usage\":{\"input_tokens\":1000,\"output_tokens\":1}}}\n\n";
  private static Vertx fakes;
  private static FakeAnthropicUpstream anthropic;
  private static FakeAnthropicUpstream good;
  private static ScriptedUpstream scripted;
  private static ScriptedUpstream scriptedOpenAi;
  private static GatewayHarness gateway;
  private static Records records;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    anthropic = new FakeAnthropicUpstream(fakes).start().await();
    good = new FakeAnthropicUpstream(fakes).start().await();
    scripted = new ScriptedUpstream(fakes).start();
    scriptedOpenAi = new ScriptedUpstream(fakes).start();
    gateway = GatewayHarness.start(new JsonObject()
        .put("timeouts", new JsonObject().put("idle_ms", 2000))
        .put("retries", new JsonObject().put("max_retries", 0)) // one attempt per target: the records are exact
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", anthropic.baseUrl(), "sk-a"))
            .put("good", GatewayHarness.provider("anthropic", good.baseUrl(), "sk-g"))
            .put("scripted", GatewayHarness.provider("anthropic", scripted.baseUrl(), "sk-s"))
            .put("compat", GatewayHarness.provider("openai", scriptedOpenAi.baseUrl(), "sk-o")))
        .put("fallbacks", new JsonObject().put("scripted/*", new JsonArray().add("good/claude-good"))));
    records = Records.of(gateway.node().vertx());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    anthropic.reset();
    good.clearRequests();
    records.clear();
  }

  private static String request(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 64).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  private static String requestId(HttpResponse<?> response) {
    return response.headers().firstValue("x-turnpike-request-id").orElseThrow();
  }

  @Test
  void should_refuse_duplicate_top_level_keys_before_anything_reaches_an_upstream() throws Exception {
    String body = "{\"model\":\"anthropic/claude-a\",\"max_tokens\":5,\"messages\":[],\"model\":\"good/claude-b\"}";

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.body().contains("'model' twice"), response.body());
    assertTrue(anthropic.requests().isEmpty() && good.requests().isEmpty(), "no upstream saw the request");
  }

  @Test
  void should_start_the_error_event_on_a_fresh_line_when_the_upstream_is_cut_mid_event() throws Exception {
    scripted.answer(req -> {
      HttpServerResponse response = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
      response.write(MESSAGE_START + "event: content_block_start\ndata: {\"type\":\"content_blo");
      fakes.setTimer(50, t -> req.connection().close());
    });

    HttpResponse<String> response = gateway.messages(request("scripted/claude-cut"));

    assertEquals(200, response.statusCode());
    List<Sse> events = Sse.parse(response.body()); // strict: a glued or partial event fails here
    assertEquals(List.of("message_start", "error"), Sse.names(events));
    assertFalse(response.body().contains("content_blo"), "the partial event never reached the client");
    ExchangeRecord record = records.of(requestId(response));
    assertEquals(FailureCode.STREAM_ENDED_EARLY, record.failure());
    assertEquals(1000, record.usage().inputTokens(), "the cut attempt's input tokens are settled");
  }

  @Test
  void should_apply_the_idle_timeout_once_the_stream_began_not_the_much_longer_first_byte_one() throws Exception {
    scripted.answer(req -> req.response().putHeader("content-type", "text/event-stream").setChunked(true)
        .write(MESSAGE_START)); // then silence, with first_byte_ms at its default of ten minutes

    HttpResponse<String> response = gateway.messages(request("scripted/claude-silent"));

    List<Sse> events = Sse.parse(response.body());
    assertEquals(List.of("message_start", "error"), Sse.names(events));
    assertTrue(events.get(1).data().getJsonObject("error").getString("message").contains("2000 ms"));
    assertEquals(1000, records.of(requestId(response)).usage().inputTokens());
  }

  @Test
  void should_report_stream_ended_early_when_an_openai_stream_ends_without_finish_reason() throws Exception {
    scriptedOpenAi.answer(req -> req.response().putHeader("content-type", "text/event-stream").setChunked(true)
        .end("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n"));

    HttpResponse<String> response = gateway.messages(request("compat/gpt-x"));

    List<Sse> events = Sse.parse(response.body());
    assertEquals("error", events.get(events.size() - 1).event(), response.body());
    assertFalse(Sse.names(events).contains("message_stop"), "a cut answer is not presented as complete");
    assertTrue(events.get(events.size() - 1).data().getJsonObject("error").getString("message")
        .contains("finish_reason"));
    ExchangeRecord record = records.of(requestId(response));
    assertEquals(FailureCode.STREAM_ENDED_EARLY, record.failure());
    assertEquals(FailureCode.STREAM_ENDED_EARLY, record.attempts().get(0).outcome());
  }

  @Test
  void should_show_only_the_fallbacks_headers_when_failing_over_after_a_head_without_bytes() throws Exception {
    scripted.answer(req -> {
      req.response().putHeader("content-type", "text/event-stream").putHeader("x-first-attempt", "yes")
          .setChunked(true).writeHead();
      fakes.setTimer(30, t -> req.connection().close());
    });

    HttpResponse<String> response = gateway.messages(request("scripted/claude-head-only"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("good/claude-good", response.headers().firstValue("x-turnpike-target").orElse(""));
    assertTrue(response.headers().firstValue("x-first-attempt").isEmpty(), "no header of the abandoned attempt");
    assertEquals("message_stop", Sse.parse(response.body()).get(Sse.parse(response.body()).size() - 1).event());
    ExchangeRecord record = records.of(requestId(response));
    assertEquals(2, record.attempts().size());
    assertEquals(FailureCode.UPSTREAM_UNAVAILABLE, record.attempts().get(0).outcome());
    assertNull(record.attempts().get(1).outcome());
    assertNull(record.failure());
  }

  @Test
  void should_record_a_failure_when_a_passthrough_stream_carries_an_error_event() throws Exception {
    anthropic.script(r -> Reply.message(new Reply.Text("partial"),
        new Reply.StreamError("overloaded_error", "Overloaded")).withUsage(700, 3));

    HttpResponse<String> response = gateway.messages(request("anthropic/claude-x"));

    assertEquals(200, response.statusCode());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("error", events.get(events.size() - 1).event());
    assertEquals("Overloaded", events.get(events.size() - 1).data().getJsonObject("error").getString("message"),
        "the upstream's own error event reaches the client, not a second one");
    ExchangeRecord record = records.of(requestId(response));
    assertEquals(FailureCode.UPSTREAM_OVERLOADED, record.failure(), "not settled as a success");
    assertEquals(700, record.usage().inputTokens());
  }

  @Test
  void should_cancel_every_upstream_call_when_clients_leave_right_after_sending() throws Exception {
    AtomicInteger open = new AtomicInteger();
    scripted.answer(req -> {
      open.incrementAndGet();
      HttpServerResponse response = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
      response.write(MESSAGE_START);
      long timer = fakes.setPeriodic(20, id -> response.write("event: ping\ndata: {\"type\":\"ping\"}\n\n"));
      response.closeHandler(v -> {
        fakes.cancelTimer(timer);
        open.decrementAndGet();
      });
    });
    byte[] body = request("scripted/claude-leaving").getBytes(StandardCharsets.UTF_8);
    int clients = 30;
    for (int i = 0; i < clients; i++) {
      try (Socket socket = new Socket("127.0.0.1", gateway.node().port())) {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /anthropic/v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: k\r\n"
            + "content-type: application/json\r\ncontent-length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      } // closed at once: the client is gone during admission, routing or the first bytes
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline && (records.all().size() < clients || open.get() > 0)) {
      Thread.sleep(20);
    }
    assertEquals(0, open.get(), "upstream calls still running for departed clients: " + open.get() + " of "
        + scripted.requests.get());
    assertEquals(clients, records.all().size(), "one record per request");
    assertTrue(records.all().stream().allMatch(r -> r.failure() == FailureCode.CLIENT_CLOSED), records.all()
        .toString());
  }
}
