package dev.turnpike.app.gateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream on 127.0.0.1 whose wire behaviour a test writes by hand, for what the fakes' fault options cannot
 * say (a clean end in the wrong place, a head and then nothing). The handler runs once the request body is in.
 */
final class ScriptedUpstream {
  private final Vertx vertx;
  private volatile Handler<HttpServerRequest> handler = req -> req.response().setStatusCode(500).end();
  final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  ScriptedUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  ScriptedUpstream start() {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      requests.incrementAndGet();
      handler.handle(req);
    })).listen(0, "127.0.0.1").await();
    return this;
  }

  ScriptedUpstream answer(Handler<HttpServerRequest> handler) {
    this.handler = handler;
    requests.set(0);
    return this;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }
}
