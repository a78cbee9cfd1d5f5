package dev.turnpike.router.affinity;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/** Session bindings of a node without a cluster, forgotten after their time to live. */
public final class LocalAffinityStore implements AffinityStore {
  private record Binding(String target, long expiresAt) {}

  private final Map<String, Binding> bindings = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
  private final long ttlMs;
  private final LongSupplier clockMs;

  public LocalAffinityStore(long ttlMs) {
    this(ttlMs, System::currentTimeMillis);
  }

  LocalAffinityStore(long ttlMs, LongSupplier clockMs) {
    this.ttlMs = ttlMs;
    this.clockMs = clockMs;
  }

  @Override
  public CompletionStage<String> bindIfAbsent(String key, String target) {
    long now = clockMs.getAsLong();
    Binding holds = bindings.compute(key, (k, old) -> old == null || old.expiresAt() <= now
        ? new Binding(target, now + ttlMs) : old);
    if (holds.target().equals(target)) {
      listeners.forEach(l -> l.accept(key, target));
    }
    if (bindings.size() > 100_000) {
      bindings.values().removeIf(b -> b.expiresAt() <= now); // bounded however many sessions come and go
    }
    return CompletableFuture.completedFuture(holds.target());
  }

  @Override
  public CompletionStage<String> move(String key, String from, String to) {
    long now = clockMs.getAsLong();
    Binding holds = bindings.compute(key, (k, old) -> old == null || old.target().equals(from)
        ? new Binding(to, now + ttlMs) : old);
    listeners.forEach(l -> l.accept(key, holds.target()));
    return CompletableFuture.completedFuture(holds.target());
  }

  @Override
  public void listen(BiConsumer<String, String> listener) {
    listeners.add(listener);
  }
}
