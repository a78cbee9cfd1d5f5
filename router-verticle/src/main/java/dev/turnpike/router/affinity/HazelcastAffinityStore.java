package dev.turnpike.router.affinity;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Session bindings in the cluster-wide map {@code turnpike.affinity}, made with an atomic put-if-absent so the
 * first parallel burst of a new session lands on one target whichever nodes take it, and moved with an atomic
 * replace. Entries expire after their time to live; every node hears of every change and caches it.
 */
public final class HazelcastAffinityStore implements AffinityStore {
  public static final String MAP_NAME = "turnpike.affinity";
  private final IMap<String, String> map;
  private final long ttlMs;

  public HazelcastAffinityStore(HazelcastInstance hazelcast, long ttlMs) {
    this.map = hazelcast.getMap(MAP_NAME);
    this.ttlMs = ttlMs;
  }

  @Override
  public CompletionStage<String> bindIfAbsent(String key, String target) {
    return map.submitToKey(key, new MoveBinding(null, target, ttlMs));
  }

  @Override
  public CompletionStage<String> move(String key, String from, String to) {
    // IMap has no async compare-and-set: an entry processor is atomic on the key's partition.
    return map.submitToKey(key, new MoveBinding(from, to, ttlMs));
  }

  @Override
  public void listen(BiConsumer<String, String> listener) {
    map.addEntryListener(new Listener(listener), true);
  }

  private record Listener(BiConsumer<String, String> listener) implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
      EntryExpiredListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      listener.accept(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      listener.accept(event.getKey(), event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      listener.accept(event.getKey(), null);
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      listener.accept(event.getKey(), null);
    }
  }
}
