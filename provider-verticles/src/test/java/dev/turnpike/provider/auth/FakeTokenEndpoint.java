package dev.turnpike.provider.auth;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** A token endpoint on 127.0.0.1 that records each request and answers as the test scripts it. */
final class FakeTokenEndpoint {
  static final String PATH = "/token";

  record Received(String method, String path, MultiMap headers, String body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger issued = new AtomicInteger();
  private volatile BiConsumer<HttpServerRequest, Integer> answer = (request, n) -> issue(request, 3600);

  private FakeTokenEndpoint(HttpServer server) {
    this.server = server;
  }

  static FakeTokenEndpoint start(Vertx vertx) {
    FakeTokenEndpoint[] self = new FakeTokenEndpoint[1];
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      self[0].received.add(new Received(request.method().name(), request.path(),
          MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.toString()));
      self[0].answer.accept(request, self[0].received.size());
    }));
    self[0] = new FakeTokenEndpoint(server);
    server.listen(0, "127.0.0.1").await();
    return self[0];
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + PATH;
  }

  /** How the n-th request (from 1) is answered; the default issues a fresh token for an hour. */
  void answer(BiConsumer<HttpServerRequest, Integer> answer) {
    this.answer = answer;
  }

  List<Received> received() {
    return received;
  }

  /** The token the n-th successful issue handed out. */
  static String token(int n) {
    return "ya29.test-access-token-" + n;
  }

  /** Answers as Google does: a new Bearer token living {@code expiresIn} seconds. */
  void issue(HttpServerRequest request, long expiresIn) {
    json(request.response(), 200, "{\"access_token\":\"" + token(issued.incrementAndGet()) + "\",\"expires_in\":"
        + expiresIn + ",\"token_type\":\"Bearer\"}");
  }

  static void json(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }

  /** Streams {@code bytes} of filler without a content-length, as a misbehaving proxy might. */
  static void chunked(HttpServerResponse response, int bytes) {
    response.setChunked(true).putHeader("content-type", "application/json");
    Buffer chunk = Buffer.buffer("x".repeat(8192));
    for (int sent = 0; sent < bytes; sent += chunk.length()) {
      response.write(chunk);
    }
    response.end();
  }

  /** Waits until the endpoint has seen {@code count} requests. */
  void awaitReceived(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("endpoint saw " + received.size() + " requests, expected " + count);
      }
      Thread.sleep(5);
    }
  }
}
