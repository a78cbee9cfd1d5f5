package dev.turnpike.router.affinity;

import dev.turnpike.contract.RouteDecision;
import dev.turnpike.contract.Target;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Keeps a Claude Code session on the target first chosen for it, so the upstream's prompt cache stays warm and
 * thinking signatures never cross providers. A binding is per session and requested model, so {@code /model}
 * starts a new one; it is made atomically in the cluster's store, so parallel first requests on any nodes agree;
 * a bound target whose breaker is open moves the session to the new choice. Known bindings are cached on the
 * node (the store tells every node of every change), so a bound request costs no cluster round trip.
 */
public final class SessionAffinity {
  private static final int CACHE_LIMIT = 100_000;
  private record Cached(String target, long expiresAt) {}

  private final AffinityStore store;
  private final boolean enabled;
  private final long ttlMs;
  private final LongSupplier clockMs;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public SessionAffinity(AffinityStore store, boolean enabled, long ttlMs) {
    this(store, enabled, ttlMs, System::currentTimeMillis);
  }

  SessionAffinity(AffinityStore store, boolean enabled, long ttlMs, LongSupplier clockMs) {
    this.store = store;
    this.enabled = enabled;
    this.ttlMs = ttlMs;
    this.clockMs = clockMs;
    store.listen((key, target) -> {
      if (target == null) {
        cache.remove(key);
      } else {
        remember(key, target);
      }
    });
  }

  /**
   * The decision with the session's bound target first ({@code affinity} says {@code new}, {@code bound} or
   * {@code moved}); the decision unchanged when there is no session.
   *
   * @param resolve a bound {@code provider/model} as a target (it may throw when the provider is gone)
   * @param available whether a target may be used now (its breaker is not open)
   * @param context where the completion runs (the router's event loop)
   */
  public Future<RouteDecision> apply(String sessionId, String requestedModel, RouteDecision decision,
                                     Function<String, Target> resolve, Predicate<Target> available,
                                     Context context) {
    if (!enabled || sessionId == null || sessionId.isEmpty()) {
      return Future.succeededFuture(decision);
    }
    String key = sessionId + "|" + requestedModel;
    Target chosen = decision.targets().get(0);
    Cached entry = cache.get(key);
    String cached = entry != null && entry.expiresAt() > clockMs.getAsLong() ? entry.target() : null;
    Future<String> holds = cached != null ? Future.succeededFuture(cached)
        : Future.fromCompletionStage(store.bindIfAbsent(key, chosen.qualifiedModel()), context)
            .onSuccess(target -> remember(key, target));
    return holds.compose(bound -> {
      if (bound.equals(chosen.qualifiedModel())) {
        return Future.succeededFuture(decision.withFirst(chosen, cached == null ? "new" : "bound"));
      }
      Target boundTarget = target(bound, resolve);
      if (boundTarget != null && available.test(boundTarget)) {
        return Future.succeededFuture(decision.withFirst(boundTarget, "bound"));
      }
      return Future.fromCompletionStage(store.move(key, bound, chosen.qualifiedModel()), context)
          .map(now -> {
            remember(key, now);
            Target nowTarget = now.equals(chosen.qualifiedModel()) ? chosen : target(now, resolve);
            return decision.withFirst(nowTarget == null ? chosen : nowTarget, "moved");
          });
    });
  }

  private static Target target(String qualified, Function<String, Target> resolve) {
    try {
      return resolve.apply(qualified);
    } catch (RuntimeException e) {
      return null; // the provider is no longer configured: the session moves
    }
  }

  private void remember(String key, String target) {
    if (cache.size() >= CACHE_LIMIT) {
      cache.clear(); // a cache, not the truth: misses go to the store
    }
    cache.put(key, new Cached(target, clockMs.getAsLong() + ttlMs));
  }
}
