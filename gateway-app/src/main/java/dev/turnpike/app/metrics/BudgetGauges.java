package dev.turnpike.app.metrics;

import dev.turnpike.governance.GovernanceState;
import dev.turnpike.governance.limits.LimitSpec;
import dev.turnpike.governance.pricing.Price;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The budgets of virtual keys, teams and customers as gauges: limit, spent and remaining (the limit less what
 * is spent and what nodes hold reserved, as {@code /api/admin/usage} reports it) of the current window. Reading the
 * cluster's counters for every budget is too slow for a scrape, so a timer reads them into a snapshot every
 * {@code metrics.budget_refresh_seconds}, and the gauges show the snapshot. Labelled by id (config or admin API
 * names), never by a key's value.
 */
final class BudgetGauges {
  private static final Map<String, String> SCOPES = Map.of("vk", "virtual_key", "team", "team",
      "customer", "customer");

  private final Vertx vertx;
  private final GovernanceState governance;
  private final MultiGauge limit;
  private final MultiGauge spent;
  private final MultiGauge remaining;
  private final AtomicBoolean reading = new AtomicBoolean();
  private final long timer;

  private record Row(Tags tags, double limitUsd, double spentUsd, double remainingUsd) {}

  BudgetGauges(Vertx vertx, MeterRegistry registry, GovernanceState governance, long refreshMs) {
    this.vertx = vertx;
    this.governance = governance;
    this.limit = MultiGauge.builder("turnpike.budget.limit.usd")
        .description("A budget's size in USD").register(registry);
    this.spent = MultiGauge.builder("turnpike.budget.spent.usd")
        .description("What settled requests spent of a budget's current window, in USD").register(registry);
    this.remaining = MultiGauge.builder("turnpike.budget.remaining.usd")
        .description("What is left of a budget's current window, less what requests in flight hold, in USD")
        .register(registry);
    refresh();
    this.timer = vertx.setPeriodic(refreshMs, id -> refresh());
  }

  /** Reads every budget's counter; the gauges change only once all were read (a failed read keeps the last). */
  void refresh() {
    if (!reading.compareAndSet(false, true)) {
      return;
    }
    Instant now = Instant.now();
    List<Future<Row>> rows = new ArrayList<>();
    governance.policy().allLimits().forEach((subject, specs) -> {
      int slash = subject.indexOf('/');
      String scope = slash < 0 ? null : SCOPES.get(subject.substring(0, slash));
      if (scope == null) {
        return; // a provider's rate limit
      }
      Tags tags = Tags.of("scope", scope, "id", subject.substring(slash + 1));
      for (LimitSpec spec : specs) {
        if (spec.isBudget()) {
          rows.add(governance.allowances().store().read(spec.need(0, now).key()).map(counter -> new Row(
              tags.and("window", spec.reset().code()), usd(spec.limit()), usd(counter.spent()),
              usd(Math.max(0, spec.limit() - counter.spent() - counter.leased())))));
        }
      }
    });
    Future.all(rows).onComplete(read -> {
      reading.set(false);
      if (read.succeeded()) {
        List<Row> all = read.result().list();
        limit.register(all.stream().map(r -> MultiGauge.Row.of(r.tags(), r.limitUsd())).toList(), true);
        spent.register(all.stream().map(r -> MultiGauge.Row.of(r.tags(), r.spentUsd())).toList(), true);
        remaining.register(all.stream().map(r -> MultiGauge.Row.of(r.tags(), r.remainingUsd())).toList(), true);
      }
    });
  }

  void close() {
    vertx.cancelTimer(timer);
  }

  private static double usd(long nanoUsd) {
    return nanoUsd / (double) Price.NANOS_PER_USD;
  }
}
