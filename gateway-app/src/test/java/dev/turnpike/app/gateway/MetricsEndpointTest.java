package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} itself: absent when metrics are off, behind the admin token when guarded, and its gauges of
 * what the node carries right now (a stream in flight, a drain).
 */
class MetricsEndpointTest {
  private static final String ADMIN = "metrics-admin-token";
  private static Vertx fakes;
  private static FakeAnthropicUpstream upstream;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    // Three events, then nothing: the stream stays open until the client leaves or the idle timeout ends it.
    upstream = new FakeAnthropicUpstream(fakes).script(r -> Reply.text("a stream that stalls in the middle")
        .withFaults(Faults.none().stallAfterEvents(3))).start().await();
  }

  @AfterAll
  static void stop() throws Exception {
    fakes.close().await();
  }

  private static JsonObject config(JsonObject metrics) {
    return new JsonObject().put("metrics", metrics).put("admin", new JsonObject().put("token", ADMIN))
        .put("timeouts", new JsonObject().put("idle_ms", 5_000)) // ends the stream the drain waits for
        .put("server", new JsonObject().put("drain_seconds", 20))
        .put("providers", new JsonObject().put("main", GatewayHarness.provider("anthropic", upstream.baseUrl(),
            "sk-up")));
  }

  @Test
  void should_answer_404_when_metrics_are_disabled() throws Exception {
    try (GatewayHarness gateway = GatewayHarness.start(config(new JsonObject().put("enabled", false)))) {
      HttpResponse<String> response = gateway.get("/metrics");
      assertEquals(404, response.statusCode(), response.body());
      assertEquals("not_found_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
    }
  }

  @Test
  void should_ask_for_the_admin_token_when_guarded_and_show_streams_in_flight_and_the_drain() throws Exception {
    GatewayHarness gateway = GatewayHarness.start(config(new JsonObject().put("guarded", true)));
    try {
      assertEquals(401, gateway.get("/metrics").statusCode());
      assertEquals(401, scrapeStatus(gateway, "wrong-token"));
      Scrape idle = scrape(gateway);
      assertEquals(0, idle.sum("turnpike_active_streams", Map.of()));
      assertEquals(1, idle.sum("turnpike_node_state", Map.of("state", "ready")));

      CompletableFuture<HttpResponse<InputStream>> first = stream(gateway);
      assertEquals(200, first.get().statusCode());
      Scrape streaming = awaitScrape(gateway, s -> s.sum("turnpike_active_streams", Map.of()) == 1);
      assertEquals(1, streaming.sum("turnpike_in_flight_requests", Map.of()));
      first.get().body().close(); // the client leaves
      // The stream is counted out just before the in-flight slot is released.
      awaitScrape(gateway, s -> s.sum("turnpike_active_streams", Map.of()) == 0
          && s.sum("turnpike_in_flight_requests", Map.of()) == 0);

      CompletableFuture<HttpResponse<InputStream>> second = stream(gateway);
      assertEquals(200, second.get().statusCode());
      awaitScrape(gateway, s -> s.sum("turnpike_active_streams", Map.of()) == 1);
      Future<Void> drained = gateway.node().drain();
      Scrape draining = awaitScrape(gateway, s -> s.sum("turnpike_node_state", Map.of("state", "draining")) == 1);
      assertEquals(0, draining.sum("turnpike_node_state", Map.of("state", "ready")));
      assertEquals(1, draining.sum("turnpike_in_flight_requests", Map.of()), "the drain waits for the stream");
      drained.await();
    } finally {
      gateway.close();
    }
  }

  private static CompletableFuture<HttpResponse<InputStream>> stream(GatewayHarness gateway) {
    JsonObject body = new JsonObject().put("model", "main/claude-stalling").put("max_tokens", 16)
        .put("stream", true).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "hi")));
    return gateway.http().sendAsync(HttpRequest.newBuilder(URI.create(gateway.url("/anthropic/v1/messages")))
        .timeout(Duration.ofSeconds(20)).header("x-api-key", GatewayHarness.CLIENT_KEY)
        .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  private static int scrapeStatus(GatewayHarness gateway, String token) throws Exception {
    return gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.url("/metrics")))
        .header("authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static Scrape scrape(GatewayHarness gateway) throws Exception {
    HttpResponse<String> response = gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.url("/metrics")))
        .header("authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return Scrape.parse(response.body());
  }

  /** Scrapes until {@code condition} holds (or 15 s pass, and then it must hold). */
  private static Scrape awaitScrape(GatewayHarness gateway, Predicate<Scrape> condition) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    Scrape scrape = scrape(gateway);
    while (!condition.test(scrape) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      scrape = scrape(gateway);
    }
    assertTrue(condition.test(scrape), "never reached the expected state");
    return scrape;
  }
}
