package dev.turnpike.app.gateway;

import static dev.turnpike.app.gateway.Spans.children;
import static dev.turnpike.app.gateway.Spans.hasRoot;
import static dev.turnpike.app.gateway.Spans.hex;
import static dev.turnpike.app.gateway.Spans.named;
import static dev.turnpike.app.gateway.Spans.number;
import static dev.turnpike.app.gateway.Spans.root;
import static dev.turnpike.app.gateway.Spans.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeOtlpCollector;
import dev.turnpike.app.fakes.FakeOtlpCollector.ReceivedSpan;
import dev.turnpike.app.fakes.Reply;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces over OTLP/HTTP to a fake collector: one SERVER span per request under the client's {@code traceparent},
 * its children for admission, routing and each upstream attempt, with the GenAI attributes the upstream's answer
 * gives.
 */
class TracingTest {
  private static final long WAIT_MS = 15_000;
  private static final String VIRTUAL_KEY = "tp-vk-alice-secret";
  private static final String COLLECTOR_KEY = "collector-secret-1";
  private static final String UPSTREAM_KEY = "sk-upstream-secret";
  private static Vertx fakes;
  private static FakeOtlpCollector collector;
  private static FakeAnthropicUpstream upstream;
  private static FakeAnthropicUpstream flaky;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    collector = new FakeOtlpCollector(fakes).start().await();
    upstream = new FakeAnthropicUpstream(fakes).script(r -> Reply.text("hello").withUsage(21, 7)).start().await();
    flaky = new FakeAnthropicUpstream(fakes).script(r -> Reply.error(503, "api_error", "down for now"))
        .start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), UPSTREAM_KEY))
            .put("flaky", GatewayHarness.provider("anthropic", flaky.baseUrl(), "sk-flaky")))
        .put("fallbacks", new JsonObject().put("flaky/*", new JsonArray().add("anthropic/claude-rescue")))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true)
            .put("customers", new JsonArray().add(new JsonObject().put("id", "acme")))
            .put("teams", new JsonArray().add(new JsonObject().put("id", "platform").put("customer", "acme")))
            .put("virtual_keys", new JsonArray().add(new JsonObject().put("id", "vk-alice")
                .put("value", VIRTUAL_KEY).put("team", "platform"))))
        .put("tracing", new JsonObject().put("enabled", true).put("endpoint", collector.httpEndpoint())
            .put("service_name", "turnpike-under-test").put("batch_delay_ms", 50)
            .put("headers", new JsonObject().put("x-collector-key", COLLECTOR_KEY))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  private static HttpResponse<String> send(String model, boolean stream, Map<String, String> extraHeaders)
      throws Exception {
    Map<String, String> headers = new HashMap<>(Map.of("authorization", "Bearer " + VIRTUAL_KEY,
        "anthropic-version", "2023-06-01", "content-type", "application/json",
        "x-claude-code-session-id", "session-42"));
    headers.putAll(extraHeaders);
    return gateway.post("/anthropic/v1/messages", new JsonObject().put("model", model).put("max_tokens", 16)
        .put("stream", stream).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "hi"))).encode(), headers);
  }

  private static String requestId(HttpResponse<String> response) {
    return response.headers().firstValue("x-turnpike-request-id").orElseThrow();
  }

  private static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1; // never all zeros, which W3C calls invalid
    return HexFormat.of().formatHex(id);
  }

  @Test
  void should_export_the_request_under_the_incoming_traceparent_with_genai_attributes() throws Exception {
    String traceId = randomHex(16);
    String callerSpanId = randomHex(8);
    HttpResponse<String> response = send("claude-haiku-4-5", false, Map.of(
        "traceparent", "00-" + traceId + "-" + callerSpanId + "-01", "tracestate", "vendor=abc"));
    assertEquals(200, response.statusCode(), response.body());

    List<ReceivedSpan> spans = collector.awaitSpans(hasRoot(requestId(response)), WAIT_MS);
    Span root = root(spans, requestId(response));
    assertEquals(traceId, hex(root.getTraceId()), "the incoming trace goes on");
    assertEquals(callerSpanId, hex(root.getParentSpanId()), "the caller's span is the parent");
    assertEquals("vendor=abc", root.getTraceState());
    assertEquals("POST /anthropic/v1/messages", root.getName());
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, root.getKind());
    assertEquals(200L, number(root, "http.response.status_code"));
    assertEquals("vk-alice", text(root, "turnpike.virtual_key.id"));
    assertEquals("platform", text(root, "turnpike.team.id"));
    assertEquals("acme", text(root, "turnpike.customer.id"));
    assertEquals("session-42", text(root, "gen_ai.conversation.id"));
    assertEquals("claude-haiku-4-5", text(root, "gen_ai.request.model"));
    assertEquals("anthropic/claude-haiku-4-5", text(root, "turnpike.served"));
    assertFalse(Spans.attribute(root, "turnpike.stream").getBoolValue());
    assertNull(text(root, "error.type"));
    assertNotEquals(Status.StatusCode.STATUS_CODE_ERROR, root.getStatus().getCode());

    List<Span> children = children(spans, root);
    assertEquals(List.of("governance.admit", "router.route", "chat claude-haiku-4-5"),
        children.stream().map(Span::getName).toList());
    Span admit = named(children, "governance.admit");
    Span route = named(children, "router.route");
    Span attempt = named(children, "chat claude-haiku-4-5");
    assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, admit.getKind());
    assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, route.getKind());
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, attempt.getKind());
    for (Span child : children) {
      assertEquals(root.getTraceId(), child.getTraceId());
      assertTrue(root.getStartTimeUnixNano() <= child.getStartTimeUnixNano(), child.getName() + " starts inside");
      assertTrue(child.getStartTimeUnixNano() <= child.getEndTimeUnixNano(), child.getName() + " ends after it starts");
      assertTrue(child.getEndTimeUnixNano() <= root.getEndTimeUnixNano(), child.getName() + " ends inside");
    }
    assertTrue(admit.getEndTimeUnixNano() <= route.getStartTimeUnixNano(), "routing follows admission");
    assertTrue(route.getEndTimeUnixNano() <= attempt.getStartTimeUnixNano(), "the attempt follows routing");

    assertEquals("chat", text(attempt, "gen_ai.operation.name"));
    assertEquals("anthropic", text(attempt, "gen_ai.provider.name"));
    assertEquals("anthropic", text(attempt, "gen_ai.system"));
    assertEquals("claude-haiku-4-5", text(attempt, "gen_ai.request.model"));
    assertEquals("claude-haiku-4-5", text(attempt, "gen_ai.response.model"));
    assertEquals(21L, number(attempt, "gen_ai.usage.input_tokens"), "what the upstream reported");
    assertEquals(7L, number(attempt, "gen_ai.usage.output_tokens"));
    assertEquals(0L, number(attempt, "gen_ai.usage.cache_read.input_tokens"));
    assertEquals("127.0.0.1", text(attempt, "server.address"));
    assertEquals((long) upstream.port(), number(attempt, "server.port"));
    assertNull(text(attempt, "error.type"));

    FakeOtlpCollector.Export export = collector.exports().stream()
        .filter(e -> e.request().toString().contains(requestId(response))).findFirst().orElseThrow();
    assertEquals(COLLECTOR_KEY, export.headers().get("x-collector-key"), "the configured headers go with exports");
    assertEquals("turnpike-under-test", export.request().getResourceSpans(0).getResource().getAttributesList()
        .stream().filter(kv -> kv.getKey().equals("service.name")).findFirst().orElseThrow().getValue()
        .getStringValue());
    String everything = collector.exports().stream().map(e -> e.request().toString()).toList().toString();
    for (String secret : List.of(VIRTUAL_KEY, UPSTREAM_KEY, COLLECTOR_KEY)) {
      assertFalse(everything.contains(secret), "no key in any span");
    }
  }

  @Test
  void should_start_a_new_trace_for_a_request_without_traceparent() throws Exception {
    HttpResponse<String> response = send("claude-haiku-4-5", true, Map.of());
    assertEquals(200, response.statusCode(), response.body());

    List<ReceivedSpan> spans = collector.awaitSpans(hasRoot(requestId(response)), WAIT_MS);
    Span root = root(spans, requestId(response));
    assertTrue(root.getParentSpanId().isEmpty(), "a root of its own");
    assertEquals(16, root.getTraceId().size());
    assertTrue(Spans.attribute(root, "turnpike.stream").getBoolValue());
    List<String> events = root.getEventsList().stream().map(Span.Event::getName).toList();
    assertEquals(List.of("first_byte", "last_byte"), events);
    for (Span.Event event : root.getEventsList()) {
      assertTrue(root.getStartTimeUnixNano() <= event.getTimeUnixNano()
          && event.getTimeUnixNano() <= root.getEndTimeUnixNano(), event.getName() + " inside the request");
    }
    List<Span> children = children(spans, root);
    assertEquals(3, children.size(), children.toString());
    Span attempt = named(children, "chat claude-haiku-4-5");
    assertEquals(21L, number(attempt, "gen_ai.usage.input_tokens"));
    assertEquals(7L, number(attempt, "gen_ai.usage.output_tokens"));
  }

  @Test
  void should_draw_each_attempt_of_a_failover_the_failed_one_with_its_error_type() throws Exception {
    HttpResponse<String> response = send("flaky/claude-x", false, Map.of());
    assertEquals(200, response.statusCode(), response.body());

    List<ReceivedSpan> spans = collector.awaitSpans(hasRoot(requestId(response)), WAIT_MS);
    Span root = root(spans, requestId(response));
    assertEquals("anthropic/claude-rescue", text(root, "turnpike.served"));
    assertNull(text(root, "error.type"), "the client was answered");
    List<Span> attempts = children(spans, root).stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
        .toList();
    assertEquals(List.of("chat claude-x", "chat claude-rescue"), attempts.stream().map(Span::getName).toList());
    Span failed = attempts.get(0);
    Span rescued = attempts.get(1);
    assertEquals("flaky", text(failed, "turnpike.provider"));
    assertEquals(1L, number(failed, "turnpike.attempt"));
    assertEquals("upstream_overloaded", text(failed, "error.type"), "503 is the upstream overloaded");
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, failed.getStatus().getCode());
    assertNull(text(failed, "gen_ai.response.model"), "no answer came from it");
    assertEquals((long) flaky.port(), number(failed, "server.port"));
    assertEquals("anthropic", text(rescued, "turnpike.provider"));
    assertEquals(2L, number(rescued, "turnpike.attempt"));
    assertNull(text(rescued, "error.type"));
    assertEquals("claude-rescue", text(rescued, "gen_ai.response.model"));
    assertEquals(21L, number(rescued, "gen_ai.usage.input_tokens"));
    assertTrue(failed.getEndTimeUnixNano() <= rescued.getStartTimeUnixNano(), "one attempt after the other");
  }

  @Test
  void should_mark_a_refused_request_as_an_error_inside_admission() throws Exception {
    HttpResponse<String> response = send("claude-haiku-4-5", false, Map.of("authorization", "Bearer tp-vk-nobody"));
    assertEquals(401, response.statusCode(), response.body());

    List<ReceivedSpan> spans = collector.awaitSpans(hasRoot(requestId(response)), WAIT_MS);
    Span root = root(spans, requestId(response));
    assertEquals(401L, number(root, "http.response.status_code"));
    assertEquals("unauthenticated", text(root, "error.type"));
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, root.getStatus().getCode());
    List<Span> children = children(spans, root);
    assertEquals(List.of("governance.admit"), children.stream().map(Span::getName).toList());
    assertEquals("unauthenticated", text(children.get(0), "error.type"));
    assertFalse(collector.exports().stream().anyMatch(e -> e.request().toString().contains("tp-vk-nobody")),
        "not even a wrong key is kept");
  }

  @Test
  void should_not_trace_a_request_whose_incoming_traceparent_is_not_sampled() throws Exception {
    String unsampledTrace = randomHex(16);
    HttpResponse<String> unsampled = send("claude-haiku-4-5", false, Map.of(
        "traceparent", "00-" + unsampledTrace + "-" + randomHex(8) + "-00"));
    assertEquals(200, unsampled.statusCode(), unsampled.body());
    // Spans leave in the order they ended: once a later request's root arrived, the first one's would have too.
    HttpResponse<String> later = send("claude-haiku-4-5", false, Map.of());
    List<ReceivedSpan> spans = collector.awaitSpans(hasRoot(requestId(later)), WAIT_MS);

    assertTrue(spans.stream().noneMatch(s -> hex(s.span().getTraceId()).equals(unsampledTrace)),
        "the caller chose not to sample this trace");
    assertTrue(spans.stream().noneMatch(s -> requestId(unsampled).equals(text(s.span(), "turnpike.request.id"))));
  }
}
