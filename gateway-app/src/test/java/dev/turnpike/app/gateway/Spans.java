package dev.turnpike.app.gateway;

import com.google.protobuf.ByteString;
import dev.turnpike.app.fakes.FakeOtlpCollector.ReceivedSpan;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/** Reading OTLP spans in tests: attributes by name, ids as hex, one request's spans. */
final class Spans {
  private Spans() {}

  static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  static AnyValue attribute(Span span, String key) {
    return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue)
        .findFirst().orElse(null);
  }

  static String text(Span span, String key) {
    AnyValue value = attribute(span, key);
    return value == null ? null : value.getStringValue();
  }

  static Long number(Span span, String key) {
    AnyValue value = attribute(span, key);
    return value == null ? null : value.getIntValue();
  }

  /** The SERVER span of the request with this id, once it arrived (it ends last, after its children). */
  static Predicate<List<ReceivedSpan>> hasRoot(String requestId) {
    return spans -> spans.stream().anyMatch(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER
        && requestId.equals(text(s.span(), "turnpike.request.id")));
  }

  static Span root(List<ReceivedSpan> spans, String requestId) {
    return spans.stream().map(ReceivedSpan::span).filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER
        && requestId.equals(text(s, "turnpike.request.id"))).findFirst().orElseThrow();
  }

  /** The root's children, by start time. */
  static List<Span> children(List<ReceivedSpan> spans, Span root) {
    return spans.stream().map(ReceivedSpan::span)
        .filter(s -> s.getTraceId().equals(root.getTraceId()) && s.getParentSpanId().equals(root.getSpanId()))
        .sorted(Comparator.comparingLong(Span::getStartTimeUnixNano)).toList();
  }

  static Span named(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.stream().map(Span::getName)
            .toList()));
  }
}
