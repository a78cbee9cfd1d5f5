package dev.turnpike.router.breakers;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Target;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The node's circuit breakers. Each node counts the outcomes of its own attempts (from their records); when a
 * target trips, the node posts the open breaker on the {@link BreakerBoard}, and every node of the cluster skips
 * the target until the cool-down ends. Then one request is let through as a probe: its success closes the
 * breaker everywhere, its failure opens it again. Thread-safe: records arrive on every event loop.
 */
public final class CircuitBreakers {
  /** Attempt outcomes that say the target is unwell; a client's own mistake or departure says nothing. */
  private static final Set<FailureCode> TARGET_FAILURES = EnumSet.of(FailureCode.UPSTREAM_UNAVAILABLE,
      FailureCode.UPSTREAM_TIMEOUT, FailureCode.UPSTREAM_ERROR, FailureCode.UPSTREAM_OVERLOADED,
      FailureCode.UPSTREAM_RATE_LIMITED, FailureCode.UPSTREAM_AUTH, FailureCode.STREAM_ENDED_EARLY);

  /** A breaker's state, as explain and metrics show it. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final BreakerPolicy policy;
  private final BreakerBoard board;
  private final LongSupplier clockMs;
  private final Map<String, Long> openUntil = new ConcurrentHashMap<>();
  private final Map<String, Long> probeStartedAt = new ConcurrentHashMap<>();
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public CircuitBreakers(BreakerPolicy policy, BreakerBoard board) {
    this(policy, board, System::currentTimeMillis);
  }

  public CircuitBreakers(BreakerPolicy policy, BreakerBoard board, LongSupplier clockMs) {
    this.policy = policy;
    this.board = board;
    this.clockMs = clockMs;
    board.listen((key, until) -> {
      if (until == 0) {
        openUntil.remove(key);
        probeStartedAt.remove(key);
      } else {
        openUntil.put(key, until);
      }
    });
  }

  public String key(Target target) {
    return policy.perModel() ? target.qualifiedModel() : target.provider();
  }

  public State state(Target target) {
    Long until = openUntil.get(key(target));
    if (until == null) {
      return State.CLOSED;
    }
    return clockMs.getAsLong() < until ? State.OPEN : State.HALF_OPEN;
  }

  /** Every breaker that is not closed, by key ({@code provider} or {@code provider/model}): for metrics. */
  public Map<String, State> notClosed() {
    long now = clockMs.getAsLong();
    Map<String, State> states = new java.util.HashMap<>();
    openUntil.forEach((key, until) -> states.put(key, now < until ? State.OPEN : State.HALF_OPEN));
    return states;
  }

  /**
   * Whether a request may go to {@code target} now. While half-open, only the first to ask is let through, as the
   * probe (a probe that never reports, its client gone, is replaced after a cool-down).
   */
  public boolean allows(Target target) {
    if (!policy.enabled()) {
      return true;
    }
    String key = key(target);
    Long until = openUntil.get(key);
    if (until == null) {
      return true;
    }
    long now = clockMs.getAsLong();
    if (now < until) {
      return false;
    }
    Long probing = probeStartedAt.get(key);
    if (probing != null && now - probing < policy.cooldownMs()) {
      return false;
    }
    return probing == null ? probeStartedAt.putIfAbsent(key, now) == null
        : probeStartedAt.replace(key, probing, now);
  }

  /** Counts what a finished request's attempts say about their targets. */
  public void record(ExchangeRecord record) {
    if (!policy.enabled()) {
      return;
    }
    for (ExchangeRecord.Attempt attempt : record.attempts()) {
      if (attempt.outcome() == null) {
        outcome(key(attempt.target()), false);
      } else if (TARGET_FAILURES.contains(attempt.outcome())) {
        outcome(key(attempt.target()), true);
      }
    }
  }

  private void outcome(String key, boolean failed) {
    long now = clockMs.getAsLong();
    if (probeStartedAt.containsKey(key)) {
      if (failed) {
        open(key, now);
      } else {
        close(key);
      }
      return;
    }
    Window window = windows.computeIfAbsent(key, k -> new Window(policy));
    if (window.add(failed, now) && !isOpen(key, now)) {
      open(key, now);
    }
  }

  private boolean isOpen(String key, long now) {
    Long until = openUntil.get(key);
    return until != null && now < until;
  }

  private void open(String key, long now) {
    long until = now + policy.cooldownMs();
    probeStartedAt.remove(key);
    openUntil.put(key, until);
    windows.remove(key);
    board.open(key, until);
  }

  private void close(String key) {
    probeStartedAt.remove(key);
    openUntil.remove(key);
    windows.remove(key);
    board.close(key);
  }

  /** Recent outcomes of one target: a run of failures and a failure rate over ten buckets of the window. */
  private static final class Window {
    private static final int BUCKETS = 10;
    private final BreakerPolicy policy;
    private final long bucketMs;
    private final long[] bucketStart = new long[BUCKETS];
    private final int[] total = new int[BUCKETS];
    private final int[] failures = new int[BUCKETS];
    private int consecutiveFailures;

    Window(BreakerPolicy policy) {
      this.policy = policy;
      this.bucketMs = Math.max(1, policy.windowMs() / BUCKETS);
    }

    /** Adds one outcome; true when the breaker should open. */
    synchronized boolean add(boolean failed, long now) {
      consecutiveFailures = failed ? consecutiveFailures + 1 : 0;
      int bucket = (int) ((now / bucketMs) % BUCKETS);
      long start = now - now % bucketMs;
      if (bucketStart[bucket] != start) {
        bucketStart[bucket] = start;
        total[bucket] = 0;
        failures[bucket] = 0;
      }
      total[bucket]++;
      if (failed) {
        failures[bucket]++;
      }
      if (consecutiveFailures >= policy.consecutiveFailures()) {
        return true;
      }
      int seen = 0;
      int failedInWindow = 0;
      for (int i = 0; i < BUCKETS; i++) {
        if (now - bucketStart[i] < policy.windowMs()) {
          seen += total[i];
          failedInWindow += failures[i];
        }
      }
      return seen >= policy.minRequests() && failedInWindow >= policy.failureRate() * seen;
    }
  }
}
