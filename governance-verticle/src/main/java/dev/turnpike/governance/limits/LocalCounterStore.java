package dev.turnpike.governance.limits;

import io.vertx.core.Future;
import java.util.AbstractMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counters of a node that runs alone: the same processors, applied to a map in memory, one at a time per key. */
public final class LocalCounterStore implements CounterStore {
  private final Map<String, SharedCounter> map = new ConcurrentHashMap<>();
  /** When each window's counter may go (a day after the window ends), so memory stays bounded. */
  private final Map<String, Long> keepUntil = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

  @Override
  public Future<SharedCounter.Grant> acquire(String key, AcquireProcessor acquire) {
    kept(key, acquire.keepUntilMs());
    SharedCounter.Grant[] grant = new SharedCounter.Grant[1];
    map.compute(key, (k, current) -> apply(k, current, entry -> grant[0] = acquire.process(entry)));
    return Future.succeededFuture(grant[0]);
  }

  @Override
  public Future<SharedCounter> commit(String key, CommitProcessor commit) {
    kept(key, commit.keepUntilMs());
    SharedCounter[] after = new SharedCounter[1];
    map.compute(key, (k, current) -> apply(k, current, entry -> after[0] = commit.process(entry)));
    return Future.succeededFuture(after[0]);
  }

  @Override
  public Future<SharedCounter> read(String key) {
    return Future.succeededFuture(map.getOrDefault(key, SharedCounter.EMPTY).expire(System.currentTimeMillis()));
  }

  private void kept(String key, long untilMs) {
    keepUntil.put(key, untilMs);
    if (calls.incrementAndGet() % 1024 == 0) {
      long now = System.currentTimeMillis();
      keepUntil.forEach((k, until) -> {
        if (until <= now) {
          keepUntil.remove(k);
          map.remove(k);
        }
      });
    }
  }

  private static SharedCounter apply(String key, SharedCounter current,
                                     java.util.function.Consumer<Map.Entry<String, SharedCounter>> processor) {
    Map.Entry<String, SharedCounter> entry = new AbstractMap.SimpleEntry<>(key, current);
    processor.accept(entry);
    return entry.getValue();
  }
}
