package dev.turnpike.router.breakers;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Open breakers in the cluster-wide map {@code turnpike.breakers} (key to "open until", epoch ms). Every node
 * listens to the map, so a breaker one node opens is honoured by all within the time Hazelcast takes to deliver
 * an entry event (milliseconds on a LAN). Entries expire a little after their cool-down, so a node that died
 * while a breaker was open leaves nothing behind.
 */
public final class HazelcastBreakerBoard implements BreakerBoard {
  public static final String MAP_NAME = "turnpike.breakers";
  private static final long EXPIRY_MARGIN_MS = 60_000;
  private final IMap<String, Long> map;

  public HazelcastBreakerBoard(HazelcastInstance hazelcast) {
    this.map = hazelcast.getMap(MAP_NAME);
  }

  @Override
  public void open(String key, long untilEpochMs) {
    long ttl = Math.max(1, untilEpochMs - System.currentTimeMillis()) + EXPIRY_MARGIN_MS;
    map.setAsync(key, untilEpochMs, ttl, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close(String key) {
    map.removeAsync(key);
  }

  @Override
  public void listen(BiConsumer<String, Long> listener) {
    map.addEntryListener(new Listener(listener), true);
  }

  /** Added, updated, removed and expired entries, as postings. */
  private record Listener(BiConsumer<String, Long> listener) implements EntryAddedListener<String, Long>,
      EntryUpdatedListener<String, Long>, EntryRemovedListener<String, Long>, EntryExpiredListener<String, Long> {
    @Override
    public void entryAdded(EntryEvent<String, Long> event) {
      listener.accept(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, Long> event) {
      listener.accept(event.getKey(), event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, Long> event) {
      listener.accept(event.getKey(), 0L);
    }

    @Override
    public void entryExpired(EntryEvent<String, Long> event) {
      listener.accept(event.getKey(), 0L);
    }
  }
}
