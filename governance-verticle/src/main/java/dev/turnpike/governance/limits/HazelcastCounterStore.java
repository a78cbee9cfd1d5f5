package dev.turnpike.governance.limits;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;

/**
 * Counters in the cluster-wide {@code turnpike.counters} map ({@code cluster.xml}: one synchronous backup), changed
 * only by entry processors, which run one at a time per key on its owner.
 */
public final class HazelcastCounterStore implements CounterStore {
  public static final String MAP_NAME = "turnpike.counters";
  private final IMap<String, SharedCounter> map;

  public HazelcastCounterStore(HazelcastInstance hazelcast) {
    this.map = hazelcast.getMap(MAP_NAME);
  }

  @Override
  public Future<SharedCounter.Grant> acquire(String key, AcquireProcessor acquire) {
    return Future.fromCompletionStage(map.submitToKey(key, acquire));
  }

  @Override
  public Future<SharedCounter> commit(String key, CommitProcessor commit) {
    return Future.fromCompletionStage(map.submitToKey(key, commit));
  }

  @Override
  public Future<SharedCounter> read(String key) {
    return Future.fromCompletionStage(map.getAsync(key))
        .map(counter -> counter == null ? SharedCounter.EMPTY : counter.expire(System.currentTimeMillis()));
  }
}
