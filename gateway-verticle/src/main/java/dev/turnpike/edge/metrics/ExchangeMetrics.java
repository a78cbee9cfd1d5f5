package dev.turnpike.edge.metrics;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns every completed {@link ExchangeRecord} into counters and histograms (the README's Metrics section lists
 * them). It reads the record on the request's event loop, so it must stay cheap: every meter is looked up in a
 * map keyed by already-bounded label values ({@link MetricLabels}), registered once, and updated without locks.
 */
public final class ExchangeMetrics implements Consumer<ExchangeRecord> {
  /** What one attempt cost in nano-USD at its target's price; 0 when it has none. */
  public interface Pricing {
    long costNanos(Target target, Usage usage);
  }

  private static final System.Logger LOG = System.getLogger(ExchangeMetrics.class.getName());
  private static final double NANOS_PER_USD = 1e9;
  private static final Duration[] UPSTREAM_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
  private static final Duration[] HEADERS_BUCKETS = seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
  private static final Duration[] INTER_TOKEN_BUCKETS = seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
      0.5, 1);
  private static final Duration[] GATEWAY_BUCKETS = seconds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025, 0.05, 0.1, 0.25, 1);
  /** Governance's refusals, by the reason label they count under. */
  private static final Map<FailureCode, String> REFUSALS = new EnumMap<>(Map.of(
      FailureCode.RATE_LIMITED, "rate_limit", FailureCode.BUDGET_EXHAUSTED, "budget",
      FailureCode.OVERLOADED, "overloaded"));

  private record RequestKey(String operation, String provider, String model, String status, String error,
                            String rule) {}

  private record TargetKey(String provider, String model) {}

  private record AttemptKey(TargetKey target, String outcome) {}

  private record FailoverKey(String from, String to) {}

  private final MeterRegistry registry;
  private final MetricLabels labels;
  private final Pricing pricing;
  private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
  private final Map<TargetKey, TargetMeters> targets = new ConcurrentHashMap<>();
  private final Map<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
  private final Map<FailoverKey, Counter> failovers = new ConcurrentHashMap<>();
  private final Map<FailureCode, Counter> refusals = new EnumMap<>(FailureCode.class);
  private final Timer gatewayAddedStream;
  private final Timer gatewayAddedWhole;
  private volatile boolean warned;

  public ExchangeMetrics(MeterRegistry registry, MetricLabels labels, Pricing pricing) {
    this.registry = registry;
    this.labels = labels;
    this.pricing = pricing;
    REFUSALS.forEach((code, reason) -> refusals.put(code, Counter.builder("turnpike.refusals")
        .description("Requests Turnpike refused itself: a rate limit, a budget, or no capacity (in-flight cap, drain)")
        .tag("reason", reason).register(registry)));
    gatewayAddedStream = gatewayAdded("true");
    gatewayAddedWhole = gatewayAdded("false");
  }

  /**
   * Counts one record. Never throws: the readers after this one (the request log) must still get the record; a
   * bug here is logged once, not once per request.
   */
  @Override
  public void accept(ExchangeRecord record) {
    try {
      count(record);
    } catch (RuntimeException e) {
      if (!warned) {
        warned = true;
        LOG.log(System.Logger.Level.WARNING, "Metrics could not count request " + record.requestId(), e);
      }
    }
  }

  private void count(ExchangeRecord record) {
    Target served = record.served();
    String operation = record.operation() == Operation.MESSAGES ? "messages" : "count_tokens";
    requests.computeIfAbsent(new RequestKey(operation, labels.provider(served == null ? null : served.provider()),
            labels.model(served == null ? record.requestedModel() : served.model()),
            MetricLabels.status(record.status()), MetricLabels.failure(record.failure()),
            labels.rule(record.matchedRule())), this::requestCounter)
        .increment();
    Counter refusal = record.failure() == null ? null : refusals.get(record.failure());
    if (refusal != null) {
      refusal.increment();
    }
    boolean messages = record.operation() == Operation.MESSAGES;
    List<ExchangeRecord.Attempt> tried = record.attempts();
    TargetMeters previous = null;
    for (int i = 0; i < tried.size(); i++) {
      ExchangeRecord.Attempt attempt = tried.get(i);
      TargetMeters meters = meters(attempt.target());
      attempts.computeIfAbsent(new AttemptKey(meters.key, MetricLabels.failure(attempt.outcome())),
          this::attemptCounter).increment();
      if (messages) {
        meters.duration.record(attempt.endNanos() - attempt.startNanos(), TimeUnit.NANOSECONDS);
        if (attempt.headNanos() >= 0) {
          meters.headers.record(attempt.headNanos() - attempt.startNanos(), TimeUnit.NANOSECONDS);
        }
      }
      meters.add(attempt.usage(), pricing.costNanos(attempt.target(), attempt.usage()));
      if (previous != null) {
        if (tried.get(i - 1).target().equals(attempt.target())) {
          meters.retries.increment();
        } else {
          failovers.computeIfAbsent(new FailoverKey(previous.key.provider(), meters.key.provider()),
              this::failoverCounter).increment();
        }
      }
      previous = meters;
    }
    if (messages && previous != null && record.firstByteNanos() >= 0) {
      answered(record, previous, tried.get(tried.size() - 1));
    }
  }

  /** The latencies of an answer that reached the client (previous: the answering attempt's meters). */
  private void answered(ExchangeRecord record, TargetMeters meters, ExchangeRecord.Attempt answering) {
    meters.firstToken.record(record.firstByteNanos(), TimeUnit.NANOSECONDS);
    if (record.stream() && record.dataEvents() >= 2 && record.lastByteNanos() >= record.firstByteNanos()) {
      meters.interToken.record((record.lastByteNanos() - record.firstByteNanos()) / (record.dataEvents() - 1),
          TimeUnit.NANOSECONDS);
    }
    if (answering.headNanos() >= 0) {
      long beforeFirstAttempt = record.attempts().get(0).startNanos();
      long headToFirstByte = Math.max(0, record.firstByteNanos() - answering.headNanos());
      (record.stream() ? gatewayAddedStream : gatewayAddedWhole)
          .record(beforeFirstAttempt + headToFirstByte, TimeUnit.NANOSECONDS);
    }
  }

  private TargetMeters meters(Target target) {
    return targets.computeIfAbsent(new TargetKey(labels.provider(target.provider()), labels.model(target.model())),
        key -> new TargetMeters(registry, key));
  }

  private Counter requestCounter(RequestKey key) {
    return Counter.builder("turnpike.requests")
        .description("Completed client requests, by the target that answered (or failed) last")
        .tag("operation", key.operation()).tag("provider", key.provider()).tag("model", key.model())
        .tag("status", key.status()).tag("error_type", key.error()).tag("rule", key.rule())
        .register(registry);
  }

  private Counter attemptCounter(AttemptKey key) {
    return Counter.builder("turnpike.upstream.attempts").description("Upstream attempts, by how each ended")
        .tag("provider", key.target().provider()).tag("model", key.target().model()).tag("outcome", key.outcome())
        .register(registry);
  }

  private Counter failoverCounter(FailoverKey key) {
    return Counter.builder("turnpike.failovers").description("Attempts that moved on to a different target")
        .tag("from_provider", key.from()).tag("to_provider", key.to()).register(registry);
  }

  private Timer gatewayAdded(String stream) {
    return Timer.builder("turnpike.gateway.added.latency")
        .description("Time Turnpike spent before the first attempt started plus from the answering attempt's "
            + "headers to the first byte written to the client")
        .tag("stream", stream).serviceLevelObjectives(GATEWAY_BUCKETS).register(registry);
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }

  /** Every meter of one (provider, model) label pair, registered together on first use. */
  private static final class TargetMeters {
    final TargetKey key;
    final Timer duration;
    final Timer headers;
    final Timer firstToken;
    final Timer interToken;
    final Counter retries;
    final Counter input;
    final Counter output;
    final Counter cacheRead;
    final Counter cacheWrite;
    final Counter cost;

    TargetMeters(MeterRegistry registry, TargetKey key) {
      this.key = key;
      duration = timer(registry, "turnpike.upstream.duration", "Upstream attempts, start to end", UPSTREAM_BUCKETS);
      headers = timer(registry, "turnpike.upstream.headers", "Upstream attempts, start to status and headers",
          HEADERS_BUCKETS);
      firstToken = timer(registry, "turnpike.time.to.first.token",
          "Request received to the first answer byte written to the client", UPSTREAM_BUCKETS);
      interToken = timer(registry, "turnpike.inter.token.latency",
          "Mean time between the events of one streamed answer, one observation per stream", INTER_TOKEN_BUCKETS);
      retries = counter(registry, "turnpike.retries", "Attempts that tried the same target again");
      input = tokens(registry, "input");
      output = tokens(registry, "output");
      cacheRead = tokens(registry, "cache_read");
      cacheWrite = tokens(registry, "cache_write");
      cost = counter(registry, "turnpike.cost.usd", "What the attempts cost at their target's price, in USD");
    }

    void add(Usage usage, long costNanos) {
      increment(input, usage.inputTokens());
      increment(output, usage.outputTokens());
      increment(cacheRead, usage.cacheReadTokens());
      increment(cacheWrite, usage.cacheCreationTokens());
      if (costNanos > 0) {
        cost.increment(costNanos / NANOS_PER_USD);
      }
    }

    private static void increment(Counter counter, long amount) {
      if (amount > 0) {
        counter.increment(amount);
      }
    }

    private Timer timer(MeterRegistry registry, String name, String description, Duration[] buckets) {
      return Timer.builder(name).description(description).tag("provider", key.provider()).tag("model", key.model())
          .serviceLevelObjectives(buckets).register(registry);
    }

    private Counter counter(MeterRegistry registry, String name, String description) {
      return Counter.builder(name).description(description).tag("provider", key.provider())
          .tag("model", key.model()).register(registry);
    }

    private Counter tokens(MeterRegistry registry, String kind) {
      return Counter.builder("turnpike.tokens").description("Tokens the upstreams reported, by kind")
          .tag("provider", key.provider()).tag("model", key.model()).tag("kind", kind)
          .register(registry);
    }
  }
}
