package dev.turnpike.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fake LLM upstream built for speed: Vert.x on the event loop only, every answer precomputed
 * ({@link FakeScript}), events spaced by nanosecond-precision event-loop timers. It never parses a request body:
 * it only drains it.
 *
 * <pre>
 * POST /{script}/v1/messages          Anthropic SSE   (message_start ... tool_use + input_json_delta ... message_stop)
 * POST /{script}/v1/chat/completions  OpenAI chunks   (tool_calls fragments, usage chunk, data: [DONE])
 * GET  /stats                         requests served, as JSON
 * </pre>
 * Runs as its own process ({@code java -cp turnpike-bench.jar dev.turnpike.bench.FakeUpstream --port N
 * --script std:ttfb=20,tps=1000,tokens=64 ...}) so its GC and CPU never mix with the load generator's.
 */
public final class FakeUpstream {
  private final Map<String, FakeScript> scripts = new HashMap<>();
  private final LongAdder requests = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder cancelled = new LongAdder();

  public static void main(String[] args) throws Exception {
    int port = 0;
    int loops = 2;
    FakeUpstream fake = new FakeUpstream();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--loops" -> loops = Integer.parseInt(args[++i]);
        case "--script" -> {
          FakeScript script = FakeScript.parse(args[++i]);
          fake.scripts.put(script.name(), script);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    int bound = fake.listen(vertx, port, loops);
    System.out.println("fake upstream listening on 127.0.0.1:" + bound + " native=" + vertx.isNativeTransportEnabled()
        + " scripts=" + fake.scripts.keySet());
    Thread.currentThread().join();
  }

  int listen(Vertx vertx, int port, int loops) throws Exception {
    int bound = port;
    for (int i = 0; i < loops; i++) { // one server per loop on the same port: Vert.x spreads the connections
      bound = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
              .setTcpNoDelay(true).setCompressionSupported(false).setIdleTimeout(0))
          .requestHandler(this::handle)
          .listen().await().actualPort();
    }
    return bound;
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/stats")) {
      request.response().putHeader("content-type", "application/json")
          .end("{\"requests\":" + requests.sum() + ",\"bytes_in\":" + bytesIn.sum() + ",\"cancelled\":"
              + cancelled.sum() + "}");
      return;
    }
    if (path.equals("/health")) {
      request.response().end("ok");
      return;
    }
    int slash = path.indexOf('/', 1);
    FakeScript script = slash < 0 ? null : scripts.get(path.substring(1, slash));
    boolean anthropic = path.endsWith("/v1/messages");
    boolean openai = path.endsWith("/v1/chat/completions");
    if (script == null || !(anthropic || openai)) {
      request.response().setStatusCode(404).end("{\"error\":{\"message\":\"no route " + path + "\"}}");
      return;
    }
    long[] size = {0};
    request.handler(chunk -> size[0] += chunk.length());
    request.endHandler(v -> {
      requests.increment();
      bytesIn.add(size[0]);
      HttpServerResponse response = request.response();
      response.setStatusCode(200)
          .putHeader("content-type", "text/event-stream; charset=utf-8")
          .putHeader("cache-control", "no-cache")
          .putHeader("request-id", "req_bench")
          .setChunked(true);
      new Stream((ContextInternal) Vertx.currentContext(), response, anthropic ? script.anthropic() : script.openai(),
          System.nanoTime() + script.ttfbNanos(), script.spacingNanos()).schedule(script.ttfbNanos());
    });
  }

  /** One answer in flight: writes every group that is due, then sleeps until the next one. */
  private final class Stream implements Runnable {
    private final ContextInternal context;
    private final HttpServerResponse response;
    private final List<Buffer> groups;
    private final long firstDue;
    private final long spacing;
    private int next;
    private boolean closed;

    Stream(ContextInternal context, HttpServerResponse response, List<Buffer> groups, long firstDue, long spacing) {
      this.context = context;
      this.response = response;
      this.groups = groups;
      this.firstDue = firstDue;
      this.spacing = spacing;
      response.closeHandler(v -> {
        if (next < groups.size()) {
          cancelled.increment();
        }
        closed = true;
      });
    }

    void schedule(long delayNanos) {
      context.nettyEventLoop().schedule(this, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
      context.dispatch(this::tick);
    }

    private void tick() {
      if (closed) {
        return;
      }
      long now = System.nanoTime();
      while (next < groups.size() && firstDue + next * spacing <= now) {
        Buffer group = groups.get(next++);
        if (next == groups.size()) {
          response.end(group);
          return;
        }
        response.write(group);
      }
      schedule(firstDue + next * spacing - now);
    }
  }
}
