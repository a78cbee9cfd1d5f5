package dev.turnpike.router.breakers;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** Breakers of a node without a cluster: postings go straight to its own listeners. */
public final class LocalBreakerBoard implements BreakerBoard {
  private final List<BiConsumer<String, Long>> listeners = new CopyOnWriteArrayList<>();

  @Override
  public void open(String key, long untilEpochMs) {
    listeners.forEach(l -> l.accept(key, untilEpochMs));
  }

  @Override
  public void close(String key) {
    listeners.forEach(l -> l.accept(key, 0L));
  }

  @Override
  public void listen(BiConsumer<String, Long> listener) {
    listeners.add(listener);
  }
}
