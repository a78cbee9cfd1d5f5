package dev.turnpike.app.tracing;

import dev.turnpike.contract.Admission;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.config.ProviderConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Draws one completed request as spans, after the fact, from its {@link ExchangeRecord}: the hot path records
 * times and nothing else. A SERVER span for the request (its parent the client's {@code traceparent}, when it
 * sent one), and under it {@code governance.admit}, {@code router.route} and one CLIENT span per upstream attempt,
 * named and attributed after the OpenTelemetry GenAI conventions. Ids of keys, teams and customers only: a key's
 * value is never in the record, so it cannot reach a span.
 */
final class ExchangeSpans implements Consumer<ExchangeRecord> {
  private static final System.Logger LOG = System.getLogger(ExchangeSpans.class.getName());

  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  /** The provider's name before semantic conventions 1.37; older backends still group by it. */
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("gen_ai.conversation.id");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_CREATION_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("turnpike.request.id");
  static final AttributeKey<String> NODE = AttributeKey.stringKey("turnpike.node");
  static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("turnpike.stream");
  static final AttributeKey<String> VIRTUAL_KEY = AttributeKey.stringKey("turnpike.virtual_key.id");
  static final AttributeKey<String> TEAM = AttributeKey.stringKey("turnpike.team.id");
  static final AttributeKey<String> CUSTOMER = AttributeKey.stringKey("turnpike.customer.id");
  static final AttributeKey<String> RULE = AttributeKey.stringKey("turnpike.route.rule");
  static final AttributeKey<String> AFFINITY = AttributeKey.stringKey("turnpike.route.affinity");
  static final AttributeKey<String> SERVED = AttributeKey.stringKey("turnpike.served");
  static final AttributeKey<String> AGENT = AttributeKey.stringKey("turnpike.client.agent_id");
  static final AttributeKey<String> REQUEST_CLASS = AttributeKey.stringKey("turnpike.client.request_class");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("turnpike.provider");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("turnpike.attempt");
  static final AttributeKey<Long> DATA_EVENTS = AttributeKey.longKey("turnpike.data_events");

  /** What governance refuses with; only these end a request inside {@code governance.admit}. */
  private static final Set<FailureCode> REFUSALS = Set.of(FailureCode.UNAUTHENTICATED, FailureCode.FORBIDDEN,
      FailureCode.BUDGET_EXHAUSTED, FailureCode.RATE_LIMITED);
  private static final int MAX_DESCRIPTION_CHARS = 512;
  private static final TextMapGetter<ExchangeRecord.ClientInfo> TRACE_HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(ExchangeRecord.ClientInfo client) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(ExchangeRecord.ClientInfo client, String key) {
      if (client == null) {
        return null;
      }
      String value = switch (key) {
        case "traceparent" -> client.traceparent();
        case "tracestate" -> client.tracestate();
        default -> "";
      };
      return value.isEmpty() ? null : value;
    }
  };

  private final Tracer tracer;
  private final Map<String, Upstream> upstreams;
  private final AtomicBoolean warned = new AtomicBoolean();

  ExchangeSpans(Tracer tracer, Map<String, ProviderConfig> providers) {
    this.tracer = tracer;
    Map<String, Upstream> byProvider = new HashMap<>();
    providers.forEach((name, provider) -> {
      Upstream upstream = Upstream.of(provider.baseUrl());
      if (upstream != null) {
        byProvider.put(name, upstream);
      }
    });
    this.upstreams = Map.copyOf(byProvider);
  }

  /** Where a provider's calls go, for {@code server.address} and {@code server.port}. */
  private record Upstream(String host, int port) {
    static Upstream of(String baseUrl) {
      try {
        URI uri = URI.create(baseUrl);
        if (uri.getHost() == null) {
          return null;
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return new Upstream(uri.getHost(), port);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  @Override
  public void accept(ExchangeRecord record) {
    try {
      draw(record);
    } catch (RuntimeException e) {
      // A tracing bug must never break the request's ending; one warning, not one per request.
      if (warned.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, "Tracing: could not draw the spans of request "
            + record.requestId(), e);
      }
    }
  }

  private void draw(ExchangeRecord record) {
    Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), record.client(),
        TRACE_HEADERS);
    Span root = rootSpan(record, parent);
    if (!root.getSpanContext().isSampled()) {
      return; // not sampled: the children would not be either
    }
    Context inRoot = parent.with(root);
    admission(record, inRoot);
    routing(record, inRoot);
    List<ExchangeRecord.Attempt> attempts = record.attempts();
    for (int i = 0; i < attempts.size(); i++) {
      attempt(record, attempts.get(i), i + 1, inRoot);
    }
    root.end(at(record, record.endNanos()), TimeUnit.NANOSECONDS);
  }

  private Span rootSpan(ExchangeRecord record, Context parent) {
    String route = route(record.operation());
    SpanBuilder builder = tracer.spanBuilder("POST " + route)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(at(record, 0), TimeUnit.NANOSECONDS)
        .setAttribute(HTTP_METHOD, "POST")
        .setAttribute(HTTP_ROUTE, route)
        .setAttribute(HTTP_STATUS, (long) record.status())
        .setAttribute(REQUEST_ID, record.requestId())
        .setAttribute(NODE, record.node())
        .setAttribute(STREAM, record.stream())
        .setAttribute(DATA_EVENTS, (long) record.dataEvents());
    setIfPresent(builder, REQUEST_MODEL, record.requestedModel());
    setIfPresent(builder, RULE, record.matchedRule());
    setIfPresent(builder, AFFINITY, record.affinity());
    Target served = record.served();
    if (served != null) {
      builder.setAttribute(SERVED, served.qualifiedModel());
    }
    Admission admission = record.admission();
    if (admission != null) {
      setIfPresent(builder, VIRTUAL_KEY, admission.virtualKey());
      setIfPresent(builder, TEAM, admission.team());
      setIfPresent(builder, CUSTOMER, admission.customer());
    }
    ExchangeRecord.ClientInfo client = record.client();
    if (client != null) {
      setIfPresent(builder, CONVERSATION, client.sessionId());
      setIfPresent(builder, AGENT, client.agentId());
      setIfPresent(builder, REQUEST_CLASS, client.requestClass());
      setIfPresent(builder, USER_AGENT, client.userAgent());
    }
    if (record.failure() != null) {
      builder.setAttribute(ERROR_TYPE, errorType(record.failure()));
    }
    Span root = builder.startSpan();
    if (record.firstByteNanos() >= 0) {
      root.addEvent("first_byte", at(record, record.firstByteNanos()), TimeUnit.NANOSECONDS);
    }
    if (record.lastByteNanos() >= 0) {
      root.addEvent("last_byte", at(record, record.lastByteNanos()), TimeUnit.NANOSECONDS);
    }
    if (record.failure() != null) {
      root.setStatus(StatusCode.ERROR, description(record));
    }
    return root;
  }

  /** Admitted: from the request's start to the yes. Refused: to the request's end, which the refusal was. */
  private void admission(ExchangeRecord record, Context parent) {
    boolean refused = record.admittedNanos() < 0 && record.admission() == null && record.failure() != null
        && REFUSALS.contains(record.failure());
    if (record.admittedNanos() < 0 && !refused) {
      return;
    }
    Span span = tracer.spanBuilder("governance.admit")
        .setParent(parent)
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(at(record, 0), TimeUnit.NANOSECONDS)
        .startSpan();
    if (refused) {
      span.setAttribute(ERROR_TYPE, errorType(record.failure()));
      span.setStatus(StatusCode.ERROR, description(record));
    }
    span.end(at(record, refused ? record.endNanos() : record.admittedNanos()), TimeUnit.NANOSECONDS);
  }

  /** From admission to the router's answer: reading and scanning the body is part of it (the router needs it). */
  private void routing(ExchangeRecord record, Context parent) {
    if (record.routedNanos() < 0) {
      return;
    }
    SpanBuilder builder = tracer.spanBuilder("router.route")
        .setParent(parent)
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(at(record, Math.max(0, record.admittedNanos())), TimeUnit.NANOSECONDS);
    setIfPresent(builder, REQUEST_MODEL, record.requestedModel());
    setIfPresent(builder, RULE, record.matchedRule());
    setIfPresent(builder, AFFINITY, record.affinity());
    builder.startSpan().end(at(record, record.routedNanos()), TimeUnit.NANOSECONDS);
  }

  private void attempt(ExchangeRecord record, ExchangeRecord.Attempt attempt, int number, Context parent) {
    Target target = attempt.target();
    String operation = operationName(record.operation());
    SpanBuilder builder = tracer.spanBuilder(operation + " " + target.model())
        .setParent(parent)
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(at(record, attempt.startNanos()), TimeUnit.NANOSECONDS)
        .setAttribute(OPERATION, operation)
        .setAttribute(PROVIDER_NAME, target.dialect())
        .setAttribute(SYSTEM, target.dialect())
        .setAttribute(PROVIDER, target.provider())
        .setAttribute(REQUEST_MODEL, target.model())
        .setAttribute(ATTEMPT, (long) number);
    Upstream upstream = upstreams.get(target.provider());
    if (upstream != null) {
      builder.setAttribute(SERVER_ADDRESS, upstream.host()).setAttribute(SERVER_PORT, (long) upstream.port());
    }
    Usage usage = attempt.usage();
    if (attempt.outcome() == null || !usage.equals(Usage.NONE)) {
      // The conventions count cached input in the input tokens; the record keeps Anthropic's split.
      builder.setAttribute(INPUT_TOKENS, usage.inputTokens() + usage.cacheReadTokens() + usage.cacheCreationTokens())
          .setAttribute(OUTPUT_TOKENS, usage.outputTokens())
          .setAttribute(CACHE_READ_TOKENS, usage.cacheReadTokens())
          .setAttribute(CACHE_CREATION_TOKENS, usage.cacheCreationTokens());
    }
    if (attempt.outcome() == null) {
      // The model the upstream was asked for; the record keeps no model name of the upstream's own.
      builder.setAttribute(RESPONSE_MODEL, target.model());
    } else {
      builder.setAttribute(ERROR_TYPE, errorType(attempt.outcome()));
    }
    Span span = builder.startSpan();
    if (attempt.headNanos() >= 0) {
      span.addEvent("response_head", at(record, attempt.headNanos()), TimeUnit.NANOSECONDS);
    }
    if (attempt.outcome() != null) {
      span.setStatus(StatusCode.ERROR, errorType(attempt.outcome()));
    }
    span.end(at(record, attempt.endNanos()), TimeUnit.NANOSECONDS);
  }

  private static String route(Operation operation) {
    return switch (operation) {
      case MESSAGES -> "/anthropic/v1/messages";
      case COUNT_TOKENS -> "/anthropic/v1/messages/count_tokens";
    };
  }

  /** {@code chat} as the conventions name it; counting tokens has no conventional name, so it keeps its own. */
  private static String operationName(Operation operation) {
    return switch (operation) {
      case MESSAGES -> "chat";
      case COUNT_TOKENS -> "count_tokens";
    };
  }

  /** Low-cardinality, as the conventions ask: the failure's code ({@code upstream_overloaded}). */
  private static String errorType(FailureCode code) {
    return code.name().toLowerCase(Locale.ROOT);
  }

  private static String description(ExchangeRecord record) {
    String message = record.failureMessage() == null ? errorType(record.failure()) : record.failureMessage();
    return message.length() > MAX_DESCRIPTION_CHARS ? message.substring(0, MAX_DESCRIPTION_CHARS) : message;
  }

  /** Epoch nanoseconds of a moment of the record ({@code offsetNanos} after it was received). */
  private static long at(ExchangeRecord record, long offsetNanos) {
    return TimeUnit.MILLISECONDS.toNanos(record.receivedAtEpochMs()) + offsetNanos;
  }

  private static void setIfPresent(SpanBuilder builder, AttributeKey<String> key, String value) {
    if (value != null && !value.isEmpty()) {
      builder.setAttribute(key, value);
    }
  }
}
