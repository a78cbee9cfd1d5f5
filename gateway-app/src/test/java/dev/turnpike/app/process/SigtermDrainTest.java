package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart as Kubernetes does it: SIGTERM to a node process serving a live Claude Code stream. The
 * stream finishes, readiness answers 503 meanwhile, new requests get 529, and the process exits by itself once
 * drained.
 */
class SigtermDrainTest {
  private static Vertx vertx;
  private static HttpServer upstream;
  private static final AtomicInteger received = new AtomicInteger();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      received.incrementAndGet();
      HttpServerResponse response = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
      response.write("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
          + "{\"input_tokens\":9,\"output_tokens\":1}}}\n\n");
      vertx.setTimer(2500, t -> response.end("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    })).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void should_finish_the_live_stream_and_exit_when_sent_sigterm() throws Exception {
    JsonObject config = new JsonObject()
        .put("server", new JsonObject().put("drain_seconds", 20))
        .put("providers", new JsonObject().put("anthropic", new JsonObject().put("dialect", "anthropic")
            .put("base_url", "http://127.0.0.1:" + upstream.actualPort())
            .put("keys", new JsonArray().add(new JsonObject().put("value", "sk-up")))));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (NodeProcess node = NodeProcess.start("sigterm", config)) {
      String body = new JsonObject().put("model", "claude-x").put("max_tokens", 8).put("stream", true)
          .put("messages", new JsonArray()).encode();
      HttpRequest request = HttpRequest.newBuilder(node.uri("/anthropic/v1/messages")).timeout(Duration.ofSeconds(30))
          .header("x-api-key", "k").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      CompletableFuture<HttpResponse<String>> live = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (received.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }

      node.terminate();

      int readiness = 0;
      for (int i = 0; i < 50 && readiness != 503; i++) {
        readiness = node.get("/health/ready").statusCode();
        Thread.sleep(20);
      }
      assertEquals(503, readiness, "unready while draining");
      HttpResponse<String> refused = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(529, refused.statusCode(), refused.body());
      HttpResponse<String> finished = live.get(15, TimeUnit.SECONDS);
      assertEquals(200, finished.statusCode());
      assertTrue(finished.body().contains("event: message_stop"), "the live stream was not cut: " + finished.body());
      assertEquals(1, received.get(), "only the live request reached the upstream");
      int exit = node.awaitExit(Duration.ofSeconds(20));
      assertEquals(143, exit, "exited by itself after the drain (128 + SIGTERM)\n" + node.logTail());
      assertTrue(node.log().contains("Draining: 1 requests in flight"), "the drain is logged\n" + node.logTail());
    }
  }
}
