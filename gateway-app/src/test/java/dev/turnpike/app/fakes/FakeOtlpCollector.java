package dev.turnpike.app.fakes;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An OpenTelemetry collector on 127.0.0.1 that keeps what it is sent: OTLP/HTTP ({@code POST /v1/traces},
 * protobuf) and OTLP/gRPC ({@code TraceService/Export} over cleartext HTTP/2) on the same port. Each export is
 * decoded with the OTLP protobuf classes, so a test reads spans, not bytes.
 */
public final class FakeOtlpCollector {
  public static final String HTTP_PATH = "/v1/traces";
  public static final String GRPC_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  /** One export as received: the transport it came over, its headers (lower-case names), what it carried. */
  public record Export(boolean grpc, Map<String, String> headers, ExportTraceServiceRequest request) {}

  /** One span with the resource that sent it. */
  public record ReceivedSpan(Resource resource, Span span) {}

  private final Vertx vertx;
  private final List<Export> exports = new CopyOnWriteArrayList<>();
  private HttpServer server;

  public FakeOtlpCollector(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<FakeOtlpCollector> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setHttp2ClearTextEnabled(true))
        .requestHandler(this::handle)
        .listen()
        .map(s -> {
          server = s;
          return this;
        });
  }

  /** The OTLP/HTTP traces URL ({@code tracing.endpoint} for {@code http/protobuf}). */
  public String httpEndpoint() {
    return "http://127.0.0.1:" + server.actualPort() + HTTP_PATH;
  }

  /** The collector's address ({@code tracing.endpoint} for {@code grpc}). */
  public String grpcEndpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public List<Export> exports() {
    return List.copyOf(exports);
  }

  public List<ReceivedSpan> spans() {
    List<ReceivedSpan> spans = new ArrayList<>();
    for (Export export : exports) {
      for (ResourceSpans resourceSpans : export.request().getResourceSpansList()) {
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          for (Span span : scopeSpans.getSpansList()) {
            spans.add(new ReceivedSpan(resourceSpans.getResource(), span));
          }
        }
      }
    }
    return spans;
  }

  /**
   * Waits until the spans received satisfy {@code done} (spans arrive in batches, on the exporter's schedule),
   * and returns them; fails after {@code timeoutMs} with what did arrive.
   */
  public List<ReceivedSpan> awaitSpans(Predicate<List<ReceivedSpan>> done, long timeoutMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    List<ReceivedSpan> spans = spans();
    while (!done.test(spans)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the collector did not receive the expected spans within " + timeoutMs
            + " ms; it has " + spans.stream().map(s -> s.span().getName()).toList());
      }
      Thread.sleep(20);
      spans = spans();
    }
    return spans;
  }

  private void handle(HttpServerRequest request) {
    boolean grpc = request.version() == HttpVersion.HTTP_2 && GRPC_PATH.equals(request.path());
    if (!grpc && !HTTP_PATH.equals(request.path())) {
      request.response().setStatusCode(404).end();
      return;
    }
    Map<String, String> headers = new TreeMap<>();
    request.headers().forEach(header -> headers.put(header.getKey().toLowerCase(java.util.Locale.ROOT),
        header.getValue()));
    request.body().onSuccess(body -> {
      try {
        exports.add(new Export(grpc, Map.copyOf(headers), ExportTraceServiceRequest.parseFrom(
            grpc ? unframe(body) : body.getBytes())));
      } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
        request.response().setStatusCode(400).end();
        return;
      }
      byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      if (grpc) {
        request.response().putHeader("content-type", "application/grpc").write(frame(answer));
        request.response().putTrailer("grpc-status", "0").end();
      } else {
        request.response().putHeader("content-type", "application/x-protobuf").end(Buffer.buffer(answer));
      }
    });
  }

  /** A gRPC message: one byte "compressed" (never, from this exporter unasked), four of length, the message. */
  private static byte[] unframe(Buffer body) {
    if (body.length() < 5 || body.getByte(0) != 0 || body.getInt(1) != body.length() - 5) {
      throw new IllegalArgumentException("not one uncompressed gRPC message");
    }
    return body.getBytes(5, body.length());
  }

  private static Buffer frame(byte[] message) {
    return Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
  }
}
