package dev.turnpike.governance.limits;

/**
 * This node's part of one counter: what it holds leased, what its requests in flight reserved from that, what
 * settled but is not committed yet, and what it is giving back. Every method holds the lock briefly.
 */
final class Allowance {
  record Commit(long spent, long returned) {}

  final String key;
  final long keepUntilMs;
  private long leased;
  private long inFlight;
  private long unflushed;
  private long lastUseMs;
  private long lastRenewMs;
  private long spentLately;
  private long observedAtMs = Long.MIN_VALUE;
  /** Past this share of the limit, settled costs are committed on every flush. */
  private static final double NEAR_LIMIT = 0.8;
  private long lastSpendCommitMs = Long.MIN_VALUE / 2;
  /** The size of the last slice the counter granted: the refill ahead starts when a quarter of it is left. */
  private long lastGrant;
  /** The limit of the counter as the latest request saw it (a change of config may move it). */
  private volatile long limit;
  /** Everything requests took from this allowance, and where the last slice-size estimate started. */
  private long taken;
  private long takenAtRateMark;
  private long rateSinceMs = Long.MIN_VALUE;
  /** The node's one request to the shared counter for more, while it runs; others wait for it. */
  private io.vertx.core.Future<Void> acquiring;
  private int waiters;

  Allowance(String key, long keepUntilMs, long nowMs) {
    this.key = key;
    this.keepUntilMs = keepUntilMs;
    // Counted as used from its creation: a new allowance whose first lease is still being asked for must not be
    // forgotten by a flush meanwhile (the lease would arrive at an allowance nobody commits).
    this.lastUseMs = nowMs;
  }

  private long idle() {
    return leased - inFlight - unflushed;
  }

  synchronized boolean tryTake(long amount, long nowMs) {
    if (idle() < amount) {
      return false;
    }
    inFlight += amount;
    taken += amount;
    lastUseMs = nowMs;
    return true;
  }

  /**
   * How much this node's requests took per second since the last call (at least over {@code minSpanMs}): the
   * slice to ask for next, so a busy node asks the counter about once a second rather than every few requests.
   */
  synchronized long takenPerSecond(long nowMs, long minSpanMs) {
    long span = Math.max(minSpanMs, nowMs - rateSinceMs);
    long rate = rateSinceMs == Long.MIN_VALUE ? 0 : (long) Math.min(Long.MAX_VALUE / 2.0,
        (taken - takenAtRateMark) * 1000.0 / span);
    rateSinceMs = nowMs;
    takenAtRateMark = taken;
    return rate;
  }

  synchronized long deficit(long amount, long nowMs) {
    lastUseMs = nowMs;
    return amount - Math.max(0, idle());
  }

  /** The counter granted {@code granted} more: take {@code amount} of it if it still fits. */
  synchronized boolean granted(long granted, long amount, long nowMs) {
    leased += granted;
    lastRenewMs = nowMs;
    lastGrant = granted;
    return tryTake(amount, nowMs);
  }

  /**
   * Whether to ask for the next slice now, before a request has to wait for it: what is left is under a quarter of
   * the last grant, nobody is asking yet, and the counter is far from its limit (near it, slices are exact and
   * asked for when needed).
   */
  synchronized boolean shouldRefillAhead(io.vertx.core.Future<Void> mine) {
    if (acquiring != null || lastGrant <= 0 || idle() >= lastGrant / 4 || nearLimit()) {
      return false;
    }
    acquiring = mine;
    return true;
  }

  /** Becomes the node's acquirer of this counter and returns null, or returns the acquire already running (and counts a waiter). */
  synchronized io.vertx.core.Future<Void> joinOrLead(io.vertx.core.Future<Void> mine) {
    if (acquiring != null) {
      waiters++;
      return acquiring;
    }
    acquiring = mine;
    return null;
  }

  synchronized long leased() {
    return leased;
  }

  synchronized void stopWaiting() {
    waiters--;
  }

  /** How many requests wait on the running acquire: the slice asked for covers them too. */
  synchronized int waiters() {
    return waiters;
  }

  synchronized void acquired(io.vertx.core.Future<Void> mine) {
    if (acquiring == mine) {
      acquiring = null;
    }
  }

  synchronized void release(long reserved) {
    inFlight -= reserved;
  }

  synchronized void settle(long reserved, long actual, long nowMs) {
    inFlight -= reserved;
    unflushed += actual;
    lastUseMs = nowMs;
  }

  /**
   * What to commit now, or null when nothing: the settled costs, the idle slice when unused for {@code
   * idleReturnMs} (0: at once), or an empty commit that renews a lease not renewed for {@code renewMs}. Settled
   * costs wait up to {@code spendEveryMs} while the counter is far from its limit (the lease counts them as
   * reserved meanwhile, so nobody can overspend), and go at once near it or when everything goes back.
   */
  synchronized Commit takeCommit(long nowMs, long idleReturnMs, long renewMs, long spendEveryMs) {
    long give = nowMs - lastUseMs >= idleReturnMs ? Math.max(0, idle()) : 0;
    boolean spendDue = idleReturnMs == 0 || nowMs - lastSpendCommitMs >= spendEveryMs || nearLimit();
    long spent = spendDue ? unflushed : 0;
    if (spent > 0) {
      lastSpendCommitMs = nowMs;
    }
    boolean renew = leased > 0 && nowMs - lastRenewMs >= renewMs;
    if (spent == 0 && give == 0 && !renew) {
      return null;
    }
    unflushed -= spent;
    leased = Math.max(0, leased - spent - give);
    lastRenewMs = nowMs;
    return new Commit(spent, give);
  }

  synchronized void commitFailed(Commit commit) {
    unflushed += commit.spent();
    leased += commit.spent() + commit.returned();
  }

  synchronized void observed(long spent, long nowMs) {
    spentLately = spent;
    observedAtMs = nowMs;
  }

  synchronized boolean observationStale(long nowMs, long maxAgeMs) {
    return observedAtMs == Long.MIN_VALUE || nowMs - observedAtMs > maxAgeMs;
  }

  /** Past {@link #NEAR_LIMIT} of the limit, by what was spent and what this node holds: slices go exact. */
  private boolean nearLimit() {
    return limit > 0 && spentLately + leased >= limit * NEAR_LIMIT;
  }

  void limit(long limit) {
    this.limit = limit;
  }

  /** What this node's requests cost that it has not committed yet (spent, though the counter does not know). */
  synchronized long unflushed() {
    return unflushed;
  }

  /** The cluster's spent figure as last seen, plus what this node settled since and has not committed. */
  synchronized long spentLately() {
    return spentLately + unflushed;
  }

  /** Nothing held, nothing owed, unused for {@code forgetAfterMs}: the node can forget it. */
  synchronized boolean disposable(long nowMs, long forgetAfterMs) {
    return leased == 0 && inFlight == 0 && unflushed == 0 && nowMs - lastUseMs > forgetAfterMs;
  }
}
