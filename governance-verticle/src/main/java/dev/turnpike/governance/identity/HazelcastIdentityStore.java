package dev.turnpike.governance.identity;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The overlay in the cluster-wide map {@code turnpike.identities} (with the salt under {@code salt}), mirrored on
 * each node so a request never waits on it: an entry listener keeps the mirror and tells the node within
 * milliseconds of a change anywhere in the cluster.
 */
public final class HazelcastIdentityStore implements IdentityStore {
  public static final String MAP_NAME = "turnpike.identities";
  private static final String SALT = "salt";
  private final IMap<String, String> map;
  private final Map<String, String> mirror = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
  private final byte[] salt;

  /** Blocking: draws or reads the salt, then reads the overlay (listening first, so no change falls between). */
  public HazelcastIdentityStore(HazelcastInstance hazelcast) {
    this.map = hazelcast.getMap(MAP_NAME);
    byte[] drawn = new byte[32];
    new SecureRandom().nextBytes(drawn);
    String previous = map.putIfAbsent(SALT, HexFormat.of().formatHex(drawn));
    this.salt = previous == null ? drawn : HexFormat.of().parseHex(previous);
    map.addEntryListener(new Listener(), true);
    map.forEach((key, value) -> {
      if (!SALT.equals(key)) {
        mirror.putIfAbsent(key, value);
      }
    });
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public Map<String, String> snapshot() {
    return Map.copyOf(mirror);
  }

  @Override
  public Future<Void> put(String key, String json) {
    return Future.fromCompletionStage(map.setAsync(key, json)).onSuccess(v -> changed(key, json));
  }

  @Override
  public void listen(BiConsumer<String, String> onChange) {
    listeners.add(onChange);
  }

  private void changed(String key, String value) {
    if (SALT.equals(key)) {
      return;
    }
    if (value == null) {
      mirror.remove(key);
    } else {
      mirror.put(key, value);
    }
    listeners.forEach(listener -> listener.accept(key, value));
  }

  private final class Listener implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
      EntryRemovedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      changed(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      changed(event.getKey(), event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      changed(event.getKey(), null);
    }
  }
}
