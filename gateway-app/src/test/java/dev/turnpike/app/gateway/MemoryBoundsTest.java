package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.RawHttp;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever clients and upstreams send, the node holds a bounded amount of it: no body before the client is
 * known, no more body bytes at once than the configured share, no whole answer or event beyond its cap, no
 * upstream call held open forever by a client that stopped reading.
 */
class MemoryBoundsTest {
  private static final String KEY = "vk-memory-test";
  private static Vertx fakes;
  private static ScriptedUpstream anthropic;
  private static ScriptedUpstream openai;
  private static GatewayHarness gateway;
  private static Records records;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    anthropic = new ScriptedUpstream(fakes).start();
    openai = new ScriptedUpstream(fakes).start();
    gateway = GatewayHarness.start(new JsonObject()
        .put("server", new JsonObject().put("max_body_bytes", 40L << 20).put("max_body_bytes_in_flight", 1L << 20)
            .put("max_answer_bytes", 1L << 20).put("max_event_bytes", 256 << 10))
        .put("timeouts", new JsonObject().put("paused_ms", 700))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true).put("virtual_keys",
            new JsonArray().add(new JsonObject().put("id", "vk-1").put("value", KEY))))
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", anthropic.baseUrl(), "sk-a"))
            .put("compat", GatewayHarness.provider("openai", openai.baseUrl(), "sk-o"))));
    records = Records.of(gateway.node().vertx());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  private static String request(String model, boolean stream) {
    return new JsonObject().put("model", model).put("max_tokens", 16).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  @Test
  void should_refuse_an_unknown_client_before_reading_its_body() throws Exception {
    try (RawHttp client = new RawHttp(gateway.node().port(), 5000)) {
      // 30 MB announced, 1 KB sent: the answer must come without the rest.
      client.send(RawHttp.post("/anthropic/v1/messages", 30L << 20, "x-api-key: not-a-key\r\n"))
          .send("{\"model\":\"claude-x\",\"messages\":[" + " ".repeat(1000));

      RawHttp.Answer answer = client.readOneResponse();

      assertEquals(401, answer.status(), answer.text());
      assertTrue(answer.body().contains("authentication_error"), answer.text());
    }
  }

  @Test
  void should_answer_529_when_the_bodies_in_flight_would_exceed_their_share() throws Exception {
    try (RawHttp first = new RawHttp(gateway.node().port(), 5000);
         RawHttp second = new RawHttp(gateway.node().port(), 5000)) {
      first.send(RawHttp.post("/anthropic/v1/messages", 700_000, "x-api-key: " + KEY + "\r\n")).send("{\"model\"");
      Thread.sleep(300); // the first body's 700 KB are reserved now
      second.send(RawHttp.post("/anthropic/v1/messages", 700_000, "x-api-key: " + KEY + "\r\n"));

      RawHttp.Answer refused = second.readOneResponse();

      assertEquals(529, refused.status(), refused.text());
      assertTrue(refused.body().contains("max_body_bytes_in_flight"), refused.text());
      assertTrue(refused.text().toLowerCase().contains("retry-after: 1"), refused.text());
    }
    // The first request's bytes were given back when it ended (its client left): a new body fits again.
    anthropic.answer(req -> req.response().putHeader("content-type", "application/json")
        .end("{\"type\":\"message\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}"));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline && status != 200) {
      status = post(request("claude-x", false).replace("\"hi\"", "\"" + "x".repeat(600_000) + "\"")).statusCode();
      Thread.sleep(50);
    }
    assertEquals(200, status, "reserved bytes are released when a request ends");
  }

  @Test
  void should_fail_cleanly_when_an_answer_to_translate_is_larger_than_the_cap() throws Exception {
    String huge = "{\"id\":\"c\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + "y".repeat(2 << 20) + "\"},\"finish_reason\":\"stop\"}]}";
    openai.answer(req -> req.response().putHeader("content-type", "application/json").end(huge));

    HttpResponse<String> response = post(request("compat/gpt-x", false));

    assertEquals(502, response.statusCode(), response.body());
    assertTrue(response.body().contains("server.max_answer_bytes"), response.body());
  }

  @Test
  void should_fail_cleanly_when_an_upstream_event_never_ends() throws Exception {
    anthropic.answer(req -> {
      HttpServerResponse response = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
      response.write("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
          + "{\"input_tokens\":5,\"output_tokens\":1}}}\n\nevent: content_block_delta\ndata: \"");
      Buffer kilobyte = Buffer.buffer("z".repeat(1024));
      long timer = fakes.setPeriodic(1, id -> {
        for (int i = 0; i < 64 && !response.writeQueueFull(); i++) {
          response.write(kilobyte);
        }
      });
      response.closeHandler(v -> fakes.cancelTimer(timer));
    });

    HttpResponse<String> response = post(request("claude-x", true));

    List<Sse> events = Sse.parse(response.body());
    assertEquals(List.of("message_start", "error"), Sse.names(events));
    assertTrue(events.get(1).data().getJsonObject("error").getString("message").contains("server.max_event_bytes"));
  }

  @Test
  void should_end_the_stream_and_free_the_upstream_when_the_client_stops_reading() throws Exception {
    AtomicBoolean upstreamClosed = new AtomicBoolean();
    AtomicLong written = new AtomicLong();
    Buffer event = Buffer.buffer("event: ping\ndata: {\"type\":\"ping\",\"pad\":\"" + "p".repeat(16_000) + "\"}\n\n");
    anthropic.answer(req -> {
      HttpServerResponse response = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
      response.write("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
          + "{\"input_tokens\":77,\"output_tokens\":1}}}\n\n");
      long timer = fakes.setPeriodic(2, id -> {
        while (!response.writeQueueFull() && written.get() < 1L << 30) {
          response.write(event);
          written.addAndGet(event.length());
        }
      });
      response.closeHandler(v -> {
        fakes.cancelTimer(timer);
        upstreamClosed.set(true);
      });
    });
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url("/anthropic/v1/messages")))
        .timeout(Duration.ofSeconds(30)).header("x-api-key", KEY)
        .POST(HttpRequest.BodyPublishers.ofString(request("claude-x", true))).build();
    HttpResponse<InputStream> response = gateway.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      in.readNBytes(100); // then read nothing more

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!upstreamClosed.get() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(upstreamClosed.get(), "the upstream call is still held for a client that does not read");
      assertTrue(written.get() < 64L << 20, "backpressure held the upstream back meanwhile: " + written.get());
    }
    ExchangeRecord record = records.await(r -> r.failure() == FailureCode.CLIENT_STALLED, "the stalled request");
    assertEquals(77, record.usage().inputTokens());
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return gateway.post("/anthropic/v1/messages", body, java.util.Map.of("x-api-key", KEY));
  }
}
