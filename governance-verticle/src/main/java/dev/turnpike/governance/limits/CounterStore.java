package dev.turnpike.governance.limits;

import io.vertx.core.Future;

/**
 * Where the shared counters live: the cluster's map, or this node's memory when it runs alone. Futures complete
 * on whatever thread the store answers on; callers move back to their own context.
 */
public interface CounterStore {
  Future<SharedCounter.Grant> acquire(String key, AcquireProcessor acquire);

  Future<SharedCounter> commit(String key, CommitProcessor commit);

  /** The counter now, without leases that expired, {@link SharedCounter#EMPTY} when the window has not started. */
  Future<SharedCounter> read(String key);
}
