package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading must hold the upstream back (frames carry the edge's PAUSE/RESUME to the
 * provider), not make the gateway buffer the whole answer; once it reads again, every byte arrives.
 */
class BackpressureTest {
  private static final int EVENT_BYTES = 16 * 1024;
  private static final int EVENTS = 16384; // 256 MiB in all: far more than loopback socket buffers hold
  private static Vertx fakes;
  private static FloodingUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    upstream = new FloodingUpstream(fakes).start();
    gateway = GatewayHarness.start(new JsonObject().put("providers", new JsonObject()
        .put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), "sk-upstream"))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @Test
  void should_hold_the_upstream_back_while_the_client_does_not_read() throws Exception {
    String body = new JsonObject().put("model", "claude-flood").put("max_tokens", 10).put("stream", true)
        .put("messages", new JsonArray()).encode();
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url("/anthropic/v1/messages")))
        .timeout(Duration.ofSeconds(60)).header("x-api-key", "k").POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<InputStream> response = gateway.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      in.readNBytes(1000);
      long written = waitUntilStable(upstream.bytesWritten);

      long total = (long) EVENTS * upstream.eventLength + FloodingUpstream.STOP.length();
      assertTrue(written < total / 4, "upstream kept writing while the client read nothing: " + written
          + " of " + total + " bytes");

      long read = 1000 + in.transferTo(OutputStreamCounter.INSTANCE);
      assertEquals(total, read, "every byte reaches the client once it reads");
      assertEquals(total, upstream.bytesWritten.get());
    }
    assertEquals(200, response.statusCode());
  }

  /** Waits until the counter stops growing (the pipeline is full), bounded in time. */
  private static long waitUntilStable(AtomicLong counter) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = counter.get();
      if (now == last && now > 0) {
        return now;
      }
      last = now;
      Thread.sleep(300);
    }
    return counter.get();
  }

  private static final class OutputStreamCounter extends java.io.OutputStream {
    static final OutputStreamCounter INSTANCE = new OutputStreamCounter();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }

  /** Writes SSE events (then message_stop, as Anthropic ends a stream) as fast as its own socket allows, honouring its write queue, and counts the bytes. */
  static final class FloodingUpstream {
    static final Buffer STOP = Buffer.buffer("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    final AtomicLong bytesWritten = new AtomicLong();
    int eventLength;
    private final Vertx vertx;
    private int port;

    FloodingUpstream(Vertx vertx) {
      this.vertx = vertx;
    }

    FloodingUpstream start() {
      Buffer event = Buffer.buffer("event: ping\ndata: {\"type\":\"ping\",\"pad\":\""
          + "x".repeat(EVENT_BYTES - 45) + "\"}\n\n");
      eventLength = event.length();
      port = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        HttpServerResponse response = req.response().putHeader("content-type", "text/event-stream")
            .setChunked(true);
        pump(response, event, new int[] {0});
      })).listen(0, "127.0.0.1").await().actualPort();
      return this;
    }

    private void pump(HttpServerResponse response, Buffer event, int[] sent) {
      while (sent[0] < EVENTS) {
        if (response.writeQueueFull()) {
          response.drainHandler(v -> pump(response, event, sent));
          return;
        }
        response.write(event);
        sent[0]++;
        bytesWritten.addAndGet(event.length());
      }
      bytesWritten.addAndGet(STOP.length());
      response.end(STOP);
    }

    String baseUrl() {
      return "http://127.0.0.1:" + port;
    }
  }
}
