package dev.turnpike.governance;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Usage counters for a node started without a cluster (tests, {@code cluster.enabled: false}). */
public final class InMemoryUsageStore implements UsageStore {
  private final Map<String, UsageTotals> counters = new ConcurrentHashMap<>();

  @Override
  public Future<Void> add(String key, UsageTotals delta) {
    counters.merge(key, delta, UsageTotals::plus);
    return Future.succeededFuture();
  }

  @Override
  public Future<Map<String, UsageTotals>> snapshot() {
    return Future.succeededFuture(Map.copyOf(counters));
  }
}
