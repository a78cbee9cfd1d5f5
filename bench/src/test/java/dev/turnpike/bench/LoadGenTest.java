package dev.turnpike.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.bench.LoadGen.Failure;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How failed requests are classified, and the load generator against a tiny local server. */
class LoadGenTest {
  private static final String STREAM = "event: message_start\ndata: {}\n\nevent: message_stop\n"
      + "data: {\"type\":\"message_stop\"}\n\n";
  private static Vertx vertx;
  private static HttpServer server;
  private static LoadGen load;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      switch (req.path()) {
        case "/ok" -> req.response().putHeader("content-type", "text/event-stream").end(STREAM);
        case "/busy" -> req.response().setStatusCode(529).end("{\"type\":\"error\"}");
        case "/cut" -> req.response().putHeader("content-type", "text/event-stream")
            .end(STREAM.substring(0, STREAM.indexOf("event: message_stop")));
        default -> req.response().setStatusCode(500).end();
      }
    })).listen(0, "127.0.0.1").await();
    load = new LoadGen(2);
  }

  @AfterAll
  static void stop() {
    load.close();
    vertx.close().await();
  }

  /** 20 requests in 200 ms. */
  private static LoadGen.Step run(int port, String path) {
    Endpoint e = Endpoint.anthropic(port, path, "m");
    return load.run(List.of(e), List.of(List.of(Buffer.buffer("{}"))), 100, Duration.ofMillis(200),
        Duration.ofSeconds(5));
  }

  @Test
  void statusesABusyMachineExplainsAreNotProtocolErrors() {
    assertEquals(Failure.OVERLOADED, Failure.ofStatus(529));
    assertEquals(Failure.OVERLOADED, Failure.ofStatus(503));
    assertEquals(Failure.TIMEOUT, Failure.ofStatus(504));
    assertEquals(Failure.TIMEOUT, Failure.ofStatus(408));
    for (int status : new int[] {400, 401, 404, 429, 500, 502}) {
      assertEquals(Failure.PROTOCOL, Failure.ofStatus(status), "HTTP " + status);
    }
  }

  @Test
  void refusedAndTimedOutConnectionsAreNotProtocolErrors() {
    assertEquals(Failure.OVERLOADED, Failure.of(new ConnectException("Connection refused: /127.0.0.1:1")));
    assertEquals(Failure.TIMEOUT, Failure.of(new TimeoutException("The timeout period of 15000ms has been exceeded")));
    // netty's connect timeout is a ConnectException too: it must still count as a timeout
    assertEquals(Failure.TIMEOUT, Failure.of(new ConnectTimeoutException("connection timed out after 5000 ms")));
    assertEquals(Failure.PROTOCOL, Failure.of(new VertxException("Connection was closed", true)));
    assertEquals(Failure.PROTOCOL, Failure.of(new IOException("Connection reset by peer")));
  }

  @Test
  void refusalsForCapacityAreCountedApartFromProtocolErrors() {
    LoadGen.Step ok = run(server.actualPort(), "/ok");
    LoadGen.Step busy = run(server.actualPort(), "/busy");
    LoadGen.Step refused = run(Env.freePort(), "/ok"); // nothing listens there
    assertEquals(20, ok.ok());
    assertEquals(20, busy.overloaded());
    assertEquals(20, refused.overloaded());
    for (LoadGen.Step s : List.of(ok, busy, refused)) {
      assertEquals(0, s.protocolErrors());
    }
    // the full run's counts (and so its saturation) see every failure as before
    assertEquals(20, busy.errors());
    assertEquals(20, refused.errors());
    assertNull(Smoke.failure(List.of(ok, busy, refused), List.of()));
  }

  @Test
  void aTruncatedAnswerOrAnotherStatusIsAProtocolError() {
    LoadGen.Step cut = run(server.actualPort(), "/cut");
    LoadGen.Step wrong = run(server.actualPort(), "/other");
    assertEquals(20, cut.protocolErrors());
    assertEquals(20, wrong.protocolErrors());
    assertEquals(0, cut.overloaded() + wrong.overloaded());
    assertEquals(List.of("200 without message_stop at the end"), List.copyOf(cut.protocolErrorKinds().keySet()));
    assertEquals(List.of("HTTP 500"), List.copyOf(wrong.protocolErrorKinds().keySet()));
    LoadGen.Step ok = run(server.actualPort(), "/ok");
    String why = Smoke.failure(List.of(ok, cut), List.of());
    assertNotNull(why);
    assertTrue(why.contains("without message_stop"), why);
    assertTrue(Smoke.failure(List.of(ok, wrong), List.of()).contains("HTTP 500"));
  }
}
