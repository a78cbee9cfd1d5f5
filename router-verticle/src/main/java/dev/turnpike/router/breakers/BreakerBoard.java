package dev.turnpike.router.breakers;

import java.util.function.BiConsumer;

/**
 * Where open breakers are posted so that every node sees them: the cluster's Hazelcast map, or memory for a
 * node without a cluster. A node that opens a breaker posts it; every node (itself included) hears of it.
 */
public interface BreakerBoard {
  /** Posts that {@code key}'s breaker is open until {@code untilEpochMs}. */
  void open(String key, long untilEpochMs);

  /** Posts that {@code key}'s breaker closed. */
  void close(String key);

  /** Called with {@code (key, untilEpochMs)} for every posting, {@code 0} when a breaker closed. */
  void listen(BiConsumer<String, Long> listener);
}
