package dev.turnpike.app.gateway;

import static dev.turnpike.app.gateway.Spans.hasRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeOtlpCollector;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tracing is off unless enabled, and a node that traces sends its queued spans before it leaves. Both are checked
 * after {@code close()}: a tracing node flushes before close completes, so nothing can still be on its way.
 */
class TracingLifecycleTest {
  private Vertx fakes;
  private FakeOtlpCollector collector;
  private FakeAnthropicUpstream upstream;

  @BeforeEach
  void start() throws Exception {
    fakes = Vertx.vertx();
    collector = new FakeOtlpCollector(fakes).start().await();
    upstream = new FakeAnthropicUpstream(fakes).script(r -> Reply.text("hello")).start().await();
  }

  @AfterEach
  void stop() throws Exception {
    fakes.close().await();
  }

  /** Sends a request with and one without a sampled traceparent, then closes the node; their request ids. */
  private List<String> twoRequestsThenClose(JsonObject tracing) throws Exception {
    GatewayHarness gateway = GatewayHarness.start(new JsonObject()
        .put("providers", new JsonObject().put("anthropic", GatewayHarness.provider("anthropic",
            upstream.baseUrl(), "sk-upstream")))
        .put("tracing", tracing.put("endpoint", collector.httpEndpoint())));
    List<String> requestIds = new ArrayList<>();
    try {
      for (String traceparent : List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "")) {
        HttpResponse<String> response = gateway.post("/anthropic/v1/messages", new JsonObject()
            .put("model", "claude-haiku-4-5").put("max_tokens", 8).put("messages", new JsonArray()
                .add(new JsonObject().put("role", "user").put("content", "hi"))).encode(),
            traceparent.isEmpty() ? Map.of("x-api-key", "k") : Map.of("x-api-key", "k", "traceparent", traceparent));
        assertEquals(200, response.statusCode(), response.body());
        requestIds.add(response.headers().firstValue("x-turnpike-request-id").orElseThrow());
      }
    } finally {
      gateway.close();
    }
    return requestIds;
  }

  @Test
  void should_send_nothing_to_the_collector_when_tracing_is_not_enabled() throws Exception {
    twoRequestsThenClose(new JsonObject().put("batch_delay_ms", 10));

    assertEquals(List.of(), collector.exports(), "tracing is off by default");
    assertEquals(2, upstream.requests().size(), "the requests did go through");
  }

  @Test
  void should_send_the_queued_spans_when_the_node_leaves() throws Exception {
    // Spans would wait a minute for their batch: only the leaving node's flush can send them in time.
    List<String> requestIds = twoRequestsThenClose(new JsonObject().put("enabled", true)
        .put("batch_delay_ms", 60_000));

    for (String requestId : requestIds) {
      assertTrue(hasRoot(requestId).test(collector.spans()), "request " + requestId + " was exported on leaving");
    }
  }
}
