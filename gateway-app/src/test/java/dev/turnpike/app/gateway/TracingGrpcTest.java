package dev.turnpike.app.gateway;

import static dev.turnpike.app.gateway.Spans.children;
import static dev.turnpike.app.gateway.Spans.hasRoot;
import static dev.turnpike.app.gateway.Spans.hex;
import static dev.turnpike.app.gateway.Spans.number;
import static dev.turnpike.app.gateway.Spans.root;
import static dev.turnpike.app.gateway.Spans.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeOtlpCollector;
import dev.turnpike.app.fakes.FakeOtlpCollector.ReceivedSpan;
import dev.turnpike.app.fakes.Reply;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code protocol: grpc} exports over OTLP/gRPC (cleartext HTTP/2 to a fake collector), and {@code sample_ratio: 0}
 * traces only the requests whose caller sampled them.
 */
class TracingGrpcTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
  private static Vertx fakes;
  private static FakeOtlpCollector collector;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    collector = new FakeOtlpCollector(fakes).start().await();
    FakeAnthropicUpstream upstream = new FakeAnthropicUpstream(fakes)
        .script(r -> Reply.text("hello").withUsage(12, 3)).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("providers", new JsonObject().put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(),
            "sk-upstream")))
        .put("tracing", new JsonObject().put("enabled", true).put("protocol", "grpc")
            .put("endpoint", collector.grpcEndpoint()).put("sample_ratio", 0).put("batch_delay_ms", 50)
            .put("headers", new JsonObject().put("x-collector-key", "grpc-secret"))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    fakes.close().await();
  }

  private static HttpResponse<String> send(Map<String, String> headers) throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages", new JsonObject()
        .put("model", "claude-haiku-4-5").put("max_tokens", 16).put("messages", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "hi"))).encode(),
        withClientHeaders(headers));
    assertEquals(200, response.statusCode(), response.body());
    return response;
  }

  private static Map<String, String> withClientHeaders(Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(Map.of("x-api-key", "sk-client", "content-type", "application/json"));
    all.putAll(headers);
    return all;
  }

  @Test
  void should_export_over_grpc_and_trace_only_what_the_caller_sampled_when_the_ratio_is_zero() throws Exception {
    HttpResponse<String> unasked = send(Map.of());
    HttpResponse<String> sampled = send(Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01"));
    String sampledId = sampled.headers().firstValue("x-turnpike-request-id").orElseThrow();
    String unaskedId = unasked.headers().firstValue("x-turnpike-request-id").orElseThrow();

    List<ReceivedSpan> spans = collector.awaitSpans(hasRoot(sampledId), 15_000);
    assertTrue(collector.exports().stream().allMatch(FakeOtlpCollector.Export::grpc), "every export came over gRPC");
    assertTrue(collector.exports().stream().allMatch(e -> "grpc-secret".equals(e.headers().get("x-collector-key"))),
        "the configured headers go with gRPC exports too");
    Span root = root(spans, sampledId);
    assertEquals(TRACE_ID, hex(root.getTraceId()));
    assertEquals(CALLER_SPAN_ID, hex(root.getParentSpanId()));
    Span attempt = children(spans, root).stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
        .findFirst().orElseThrow();
    assertEquals("chat claude-haiku-4-5", attempt.getName());
    assertEquals(12L, number(attempt, "gen_ai.usage.input_tokens"));
    // The unsampled request ended first, so its spans would have left first.
    assertTrue(spans.stream().noneMatch(s -> unaskedId.equals(text(s.span(), "turnpike.request.id"))),
        "sample_ratio 0: a request without a traceparent is not traced");
  }
}
