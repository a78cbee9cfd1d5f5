package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way a stream can end leaves nothing behind and settles what the upstream reported. A node in its own JVM
 * serves many streams that end badly: clients that leave mid-answer (Esc in Claude Code), upstreams that reset
 * the connection, upstreams that go silent until the idle timeout. Afterwards no stream object and no event-bus
 * consumer of those streams is alive ({@code jcmd GC.class_histogram}, after a full GC), and the usage counters
 * hold the {@code message_start} input tokens of every one of them.
 */
class EndingsLeakTest {
  private static final int INPUT_TOKENS = 1000;
  private static final int CANCELLED = 100;
  private static final int RESET = 30;
  private static final int STALLED = 30;
  private static final String MESSAGE_START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
      + "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\","
      + "\"usage\":{\"input_tokens\":" + INPUT_TOKENS + ",\"output_tokens\":1}}}\n\n";
  private static final String PING = "event: ping\ndata: {\"type\":\"ping\"}\n\n";
  private static final List<String> STREAM_CLASSES = List.of("dev.turnpike.provider.StreamSink",
      "dev.turnpike.provider.UpstreamExchange", "dev.turnpike.edge.ClientExchange", "dev.turnpike.edge.ModelRequest",
      "dev.turnpike.edge.ExchangeRecorder", "dev.turnpike.edge.BodyReader");
  private static final String CONSUMER_CLASS = "io.vertx.core.eventbus.impl.MessageConsumerImpl";

  private static Vertx vertx;
  private static HttpServer upstream;
  private static final AtomicInteger openStreams = new AtomicInteger();
  private static NodeProcess node;
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      String model = new JsonObject(body).getString("model");
      HttpServerResponse response = req.response().putHeader("content-type", "text/event-stream")
          .setChunked(true);
      if (model.equals("claude-whole")) {
        response.end(MESSAGE_START + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return;
      }
      openStreams.incrementAndGet();
      response.closeHandler(v -> openStreams.decrementAndGet());
      response.write(MESSAGE_START);
      switch (model) {
        case "claude-cancel" -> {
          long timer = vertx.setPeriodic(20, id -> response.write(PING)); // ~20 s if nobody cancels
          vertx.setTimer(20_000, id -> vertx.cancelTimer(timer));
          response.closeHandler(v -> {
            vertx.cancelTimer(timer);
            openStreams.decrementAndGet();
          });
        }
        case "claude-reset" -> vertx.setTimer(50, id -> req.connection().close());
        default -> { } // claude-stall: silence until the gateway's idle timeout
      }
    })).listen(0, "127.0.0.1").await();
    JsonObject config = new JsonObject()
        .put("timeouts", new JsonObject().put("idle_ms", 500))
        .put("providers", new JsonObject().put("anthropic", new JsonObject().put("dialect", "anthropic")
            .put("base_url", "http://127.0.0.1:" + upstream.actualPort())
            .put("keys", new JsonArray().add(new JsonObject().put("value", "sk-upstream")))));
    node = NodeProcess.start("endings", config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    vertx.close().await();
  }

  private HttpRequest request(String model) {
    String body = new JsonObject().put("model", model).put("max_tokens", 64).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    return HttpRequest.newBuilder(node.uri("/anthropic/v1/messages")).timeout(Duration.ofSeconds(30))
        .header("x-api-key", "sk-client").header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  @Test
  void should_leave_no_stream_object_or_consumer_and_settle_input_tokens_after_bad_endings() throws Exception {
    // Warm up every path once, then count what a quiet node holds.
    assertEquals(200, http.send(request("claude-whole"), HttpResponse.BodyHandlers.ofString()).statusCode());
    Map<String, Long> baseline = node.liveInstances(List.of(CONSUMER_CLASS));

    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < CANCELLED; i++) {
      done.add(CompletableFuture.runAsync(this::readStartThenLeave, clients));
    }
    for (int i = 0; i < RESET; i++) {
      done.add(CompletableFuture.runAsync(() -> readWhole("claude-reset"), clients));
    }
    for (int i = 0; i < STALLED; i++) {
      done.add(CompletableFuture.runAsync(() -> readWhole("claude-stall"), clients));
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    clients.shutdown();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (openStreams.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, openStreams.get(), "upstream streams the gateway never ended");

    JsonObject totals = awaitTotals(1 + CANCELLED + RESET + STALLED);
    assertEquals((long) INPUT_TOKENS * (1 + CANCELLED + RESET + STALLED), totals.getLong("input_tokens"),
        "message_start input tokens of every stream, however it ended: " + totals);

    Map<String, Long> live = node.liveInstances(new ArrayList<>(STREAM_CLASSES) {{ add(CONSUMER_CLASS); }});
    for (String type : STREAM_CLASSES) {
      assertEquals(0L, live.get(type), type + " instances still alive: " + live);
    }
    assertEquals(baseline.get(CONSUMER_CLASS), live.get(CONSUMER_CLASS), "event-bus consumers left: " + live);
    node.assertAlive();
  }

  private void readStartThenLeave() {
    try {
      HttpResponse<InputStream> response = http.send(request("claude-cancel"),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        in.readNBytes(MESSAGE_START.length() + PING.length()); // the answer has begun; then Esc
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void readWhole(String model) {
    try {
      HttpResponse<String> response = http.send(request(model), HttpResponse.BodyHandlers.ofString());
      assertTrue(response.body().contains("event: error"), model + ": " + response.body());
    } catch (java.io.IOException e) {
      // a reset may also reach the client as a broken connection; the gateway's side is what is checked
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonObject awaitTotals(long requests) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonObject totals = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = node.get("/api/admin/usage");
      totals = new JsonObject(response.body()).getJsonObject("totals");
      if (totals.getLong("requests") >= requests) {
        return totals;
      }
      Thread.sleep(100);
    }
    return totals;
  }
}
