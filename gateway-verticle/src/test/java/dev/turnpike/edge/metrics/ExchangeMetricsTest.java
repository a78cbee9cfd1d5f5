package dev.turnpike.edge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What one record adds: each phase's latency as the README's Metrics section defines it, retries, failovers, cost. */
class ExchangeMetricsTest {
  private static final long MS = 1_000_000;
  private static final Target MAIN = new Target("main", "anthropic", "claude-listed");
  private static final Target SPARE = new Target("spare", "openai", "gpt-spare");
  private final MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** A nano-USD per input token, two per output token. */
  private final ExchangeMetrics metrics = new ExchangeMetrics(registry, MetricLabels.fromConfig(new JsonObject("""
      {"providers": {"main": {"models": ["claude-listed"]}, "spare": {"models": ["gpt-spare"]}}}"""),
      model -> null, 500), (target, usage) -> usage.inputTokens() + 2 * usage.outputTokens());

  private static ExchangeRecord record(boolean stream, long firstByte, long lastByte, int events, int status,
                                       FailureCode failure, ExchangeRecord.Attempt... attempts) {
    return new ExchangeRecord("req", "node", Operation.MESSAGES, 0, firstByte, 200 * MS, 0, MS / 2, lastByte, events,
        null, "claude-listed", stream, null, null, List.of(attempts), status, failure, null, Usage.NONE,
        ExchangeRecord.ClientInfo.NONE, null);
  }

  private double timerMs(String name, String tag, String value) {
    Timer timer = registry.find(name).tag(tag, value).timer();
    return timer == null ? -1 : timer.totalTime(TimeUnit.MILLISECONDS);
  }

  @Test
  void should_measure_a_retried_stream_phase_by_phase() {
    metrics.accept(record(true, 12 * MS, 92 * MS, 5, 200, null,
        new ExchangeRecord.Attempt(MAIN, MS, 2 * MS, 3 * MS, FailureCode.UPSTREAM_OVERLOADED, Usage.NONE),
        new ExchangeRecord.Attempt(MAIN, 5 * MS, 10 * MS, 100 * MS, null, new Usage(10, 20, 30, 40))));

    assertEquals(1, registry.find("turnpike.retries").tag("provider", "main").counter().count());
    assertNull(registry.find("turnpike.failovers").counter());
    assertEquals(2 + 95, timerMs("turnpike.upstream.duration", "provider", "main"), 1e-9, "both attempts");
    assertEquals(1 + 5, timerMs("turnpike.upstream.headers", "provider", "main"), 1e-9);
    assertEquals(12, timerMs("turnpike.time.to.first.token", "provider", "main"), 1e-9);
    assertEquals(20, timerMs("turnpike.inter.token.latency", "provider", "main"), 1e-9, "80 ms over 4 gaps");
    assertEquals(1 + 2, timerMs("turnpike.gateway.added.latency", "stream", "true"), 1e-9,
        "1 ms before the first attempt, 2 ms from the answering head to the first byte");
    assertEquals(50e-9, registry.find("turnpike.cost.usd").counter().count(), 1e-18);
    assertEquals(30, registry.find("turnpike.tokens").tag("kind", "cache_read").counter().count());
    assertEquals(40, registry.find("turnpike.tokens").tag("kind", "cache_write").counter().count());
    assertEquals(1, registry.find("turnpike.upstream.attempts").tag("outcome", "upstream_overloaded").counter()
        .count());
    assertEquals(1, registry.find("turnpike.requests").tag("provider", "main").tag("status", "200")
        .tag("error_type", "none").tag("rule", "none").counter().count());
  }

  @Test
  void should_count_a_failover_and_label_the_request_by_the_target_that_answered() {
    metrics.accept(record(false, 30 * MS, 30 * MS, 1, 200, null,
        new ExchangeRecord.Attempt(MAIN, MS, -1, 3 * MS, FailureCode.UPSTREAM_UNAVAILABLE, Usage.NONE),
        new ExchangeRecord.Attempt(SPARE, 4 * MS, 25 * MS, 31 * MS, null, new Usage(1, 1, 0, 0))));

    assertEquals(1, registry.find("turnpike.failovers").tag("from_provider", "main").tag("to_provider", "spare")
        .counter().count());
    assertEquals(0, registry.find("turnpike.retries").tag("provider", "spare").counter().count());
    assertEquals(1, registry.find("turnpike.requests").tag("provider", "spare").tag("model", "gpt-spare")
        .counter().count());
    assertEquals(0, registry.find("turnpike.inter.token.latency").tag("provider", "spare").timer().count(),
        "no stream, no inter-token time");
    assertEquals(1 + 5, timerMs("turnpike.gateway.added.latency", "stream", "false"), 1e-9);
    assertEquals(0, registry.find("turnpike.upstream.headers").tag("provider", "main").timer().count(),
        "an attempt without headers has no time to headers");
  }

  @Test
  void should_count_refusals_by_reason_without_attempts() {
    metrics.accept(record(false, -1, -1, 0, 402, FailureCode.BUDGET_EXHAUSTED));
    metrics.accept(record(false, -1, -1, 0, 429, FailureCode.RATE_LIMITED));
    metrics.accept(record(false, -1, -1, 0, 429, FailureCode.UPSTREAM_RATE_LIMITED));

    assertEquals(1, registry.find("turnpike.refusals").tag("reason", "budget").counter().count());
    assertEquals(1, registry.find("turnpike.refusals").tag("reason", "rate_limit").counter().count(),
        "an upstream's 429 is no refusal of Turnpike's");
    assertEquals(1, registry.find("turnpike.requests").tag("provider", "none").tag("status", "429")
        .tag("error_type", "upstream_rate_limited").counter().count());
  }
}
