package dev.turnpike.governance;

import io.vertx.core.Future;
import java.util.Map;

/** Where usage counters live: Hazelcast maps shared by the cluster, or memory for a node without a cluster. */
public interface UsageStore {
  /** Adds {@code delta} to the counters of {@code key}, atomically. */
  Future<Void> add(String key, UsageTotals delta);

  /** A snapshot of every counter. */
  Future<Map<String, UsageTotals>> snapshot();
}
