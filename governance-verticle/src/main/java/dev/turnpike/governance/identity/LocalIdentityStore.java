package dev.turnpike.governance.identity;

import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** A node without a cluster: its admin changes last as long as it runs. */
public final class LocalIdentityStore implements IdentityStore {
  private final byte[] salt = new byte[32];
  private final Map<String, String> entries = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();

  public LocalIdentityStore() {
    new SecureRandom().nextBytes(salt);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public Map<String, String> snapshot() {
    return Map.copyOf(entries);
  }

  @Override
  public Future<Void> put(String key, String json) {
    entries.put(key, json);
    listeners.forEach(listener -> listener.accept(key, json));
    return Future.succeededFuture();
  }

  @Override
  public void listen(BiConsumer<String, String> onChange) {
    listeners.add(onChange);
  }
}
