package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.NodeLifecycle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node that is told to stop (what SIGTERM does) turns unready at once, refuses new requests with 529 so
 * Claude Code retries elsewhere, lets requests in flight finish, ends the stragglers at the deadline with an
 * error event and settles them, then leaves.
 */
class DrainTest {
  private static final String MESSAGE_START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
      + "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\","
      + "\"usage\":{\"input_tokens\":321,\"output_tokens\":1}}}\n\n";
  private static final String MESSAGE_STOP = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  private static Vertx fakes;
  private static ScriptedUpstream upstream;

  @BeforeAll
  static void start() {
    fakes = Vertx.vertx();
    upstream = new ScriptedUpstream(fakes).start();
  }

  @AfterAll
  static void stop() {
    fakes.close().await();
  }

  private static GatewayHarness node(int drainSeconds) throws Exception {
    return GatewayHarness.start(new JsonObject()
        .put("server", new JsonObject().put("drain_seconds", drainSeconds))
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), "sk-a"))));
  }

  private static CompletableFuture<HttpResponse<String>> streamInBackground(GatewayHarness gateway) {
    String body = new JsonObject().put("model", "claude-x").put("max_tokens", 16).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    return gateway.http().sendAsync(HttpRequest.newBuilder(URI.create(gateway.url("/anthropic/v1/messages")))
        .timeout(Duration.ofSeconds(30)).header("x-api-key", "k").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitUpstreamRequests(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (upstream.requests.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(count, upstream.requests.get(), "the request reached the upstream");
  }

  @Test
  void should_refuse_new_requests_and_finish_those_in_flight_when_draining() throws Exception {
    upstream.answer(req -> {
      HttpServerResponse response = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
      response.write(MESSAGE_START);
      fakes.setTimer(1500, t -> response.end(MESSAGE_STOP));
    });
    GatewayHarness gateway = node(20);
    Records records = Records.of(gateway.node().vertx());
    CompletableFuture<HttpResponse<String>> inFlight = streamInBackground(gateway);
    awaitUpstreamRequests(1);

    Future<Void> drained = gateway.node().drain();

    HttpResponse<String> ready = gateway.get("/health/ready");
    assertEquals(503, ready.statusCode(), "unready at once, so the load balancer stops sending");
    HttpResponse<String> refused = gateway.messages(new JsonObject().put("model", "claude-x").put("max_tokens", 5)
        .put("messages", new JsonArray()).encode());
    assertEquals(529, refused.statusCode(), refused.body());
    assertEquals("overloaded_error", new JsonObject(refused.body()).getJsonObject("error").getString("type"));
    assertEquals("1", refused.headers().firstValue("retry-after").orElse(""));
    assertEquals(1, upstream.requests.get(), "the refused request reached no upstream");

    HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
    assertEquals(200, finished.statusCode());
    assertEquals(List.of("message_start", "message_stop"), Sse.names(Sse.parse(finished.body())));
    drained.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(NodeLifecycle.State.STOPPED, gateway.node().state());
    ExchangeRecord record = records.await(r -> r.status() == 200, "the drained request");
    assertEquals(321, record.usage().inputTokens());
  }

  @Test
  void should_end_the_stragglers_with_an_error_event_and_settle_them_at_the_drain_deadline() throws Exception {
    upstream.answer(req -> {
      HttpServerResponse response = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
      response.write(MESSAGE_START);
      long timer = fakes.setPeriodic(50, id -> response.write("event: ping\ndata: {\"type\":\"ping\"}\n\n"));
      response.closeHandler(v -> fakes.cancelTimer(timer));
    });
    GatewayHarness gateway = node(1);
    Records records = Records.of(gateway.node().vertx());
    CompletableFuture<HttpResponse<String>> inFlight = streamInBackground(gateway);
    awaitUpstreamRequests(1);
    long started = System.nanoTime();

    gateway.node().drain().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);

    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(tookMs >= 1000, "waited for the drain deadline first: " + tookMs + " ms");
    HttpResponse<String> cut = inFlight.get(10, TimeUnit.SECONDS);
    List<Sse> events = Sse.parse(cut.body());
    assertEquals("error", events.get(events.size() - 1).event());
    assertTrue(events.get(events.size() - 1).data().getJsonObject("error").getString("message")
        .contains("shutting down"));
    ExchangeRecord record = records.await(r -> true, "the cut request");
    assertEquals(FailureCode.STREAM_ENDED_EARLY, record.failure());
    assertEquals(321, record.usage().inputTokens(), "its usage is settled");
  }
}
