package dev.turnpike.app.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Admission;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.config.ProviderConfig;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What one record becomes, read straight from the SDK: the cases the gateway tests do not reach easily. */
class ExchangeSpansTest {
  private final List<SpanData> finished = new CopyOnWriteArrayList<>();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
          finished.addAll(spans);
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }
      }))
      .build();
  private final ExchangeSpans spans = new ExchangeSpans(provider.get("test"), Map.of());

  @AfterEach
  void stop() {
    provider.shutdown();
  }

  private static ExchangeRecord record(Operation operation, Usage usage, String traceparent) {
    Target target = new Target("anthropic", "anthropic", "claude-sonnet-4-5");
    return new ExchangeRecord("tp-1", "node-a", operation, 1_700_000_000_000L, 4_000_000, 9_000_000, 1_000_000,
        2_000_000, 8_000_000, 3, new Admission("vk-1", "vk-1", null, null), "claude-sonnet-4-5", true, null, null,
        List.of(new ExchangeRecord.Attempt(target, 2_500_000, 3_500_000, 8_500_000, null, usage)), 200, null, null,
        usage, new ExchangeRecord.ClientInfo("", "", "", "", traceparent, ""), null);
  }

  private SpanData only(SpanKind kind) {
    List<SpanData> ofKind = finished.stream().filter(s -> s.getKind() == kind).toList();
    assertEquals(1, ofKind.size(), finished.toString());
    return ofKind.get(0);
  }

  @Test
  void should_count_cached_input_in_the_input_tokens_and_report_the_split() {
    spans.accept(record(Operation.MESSAGES, new Usage(10, 5, 100, 20), ""));

    SpanData attempt = only(SpanKind.CLIENT);
    assertEquals(130L, attempt.getAttributes().get(ExchangeSpans.INPUT_TOKENS), "10 uncached + 100 read + 20 written");
    assertEquals(100L, attempt.getAttributes().get(ExchangeSpans.CACHE_READ_TOKENS));
    assertEquals(20L, attempt.getAttributes().get(ExchangeSpans.CACHE_CREATION_TOKENS));
    assertEquals(5L, attempt.getAttributes().get(ExchangeSpans.OUTPUT_TOKENS));
  }

  @Test
  void should_place_every_span_at_the_record_s_moments() {
    spans.accept(record(Operation.MESSAGES, Usage.NONE, ""));

    long received = 1_700_000_000_000L * 1_000_000;
    SpanData root = only(SpanKind.SERVER);
    SpanData attempt = only(SpanKind.CLIENT);
    assertEquals(received, root.getStartEpochNanos());
    assertEquals(received + 9_000_000, root.getEndEpochNanos());
    assertEquals(received + 2_500_000, attempt.getStartEpochNanos());
    assertEquals(received + 8_500_000, attempt.getEndEpochNanos());
    assertEquals(received + 3_500_000, attempt.getEvents().get(0).getEpochNanos(), "the upstream's head");
    SpanData route = finished.stream().filter(s -> s.getName().equals("router.route")).findFirst().orElseThrow();
    assertEquals(received + 1_000_000, route.getStartEpochNanos(), "routing starts when admission ended");
    assertEquals(received + 2_000_000, route.getEndEpochNanos());
  }

  @Test
  void should_start_a_trace_of_its_own_when_the_traceparent_is_malformed() {
    spans.accept(record(Operation.COUNT_TOKENS, Usage.NONE, "00-not-a-trace-01"));

    SpanData root = only(SpanKind.SERVER);
    assertFalse(root.getParentSpanContext().isValid(), "no parent");
    assertTrue(root.getSpanContext().isValid());
    assertEquals("POST /anthropic/v1/messages/count_tokens", root.getName());
    assertEquals("count_tokens claude-sonnet-4-5", only(SpanKind.CLIENT).getName());
  }

  @Test
  void should_keep_the_request_ending_when_a_record_cannot_be_drawn() {
    // A record the edge never makes (no operation): the reader swallows the failure, one warning at most.
    ExchangeRecord broken = new ExchangeRecord("tp-2", "node-a", null, 0, -1, 1, -1, -1, -1, 0, null, null, false,
        null, null, List.of(), 500, null, null, Usage.NONE, ExchangeRecord.ClientInfo.NONE, null);

    spans.accept(broken);
    spans.accept(record(Operation.MESSAGES, Usage.NONE, ""));
    assertEquals(1, finished.stream().filter(s -> s.getKind() == SpanKind.SERVER).count(), "the next one is drawn");
  }
}
