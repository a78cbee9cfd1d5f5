package dev.turnpike.governance.limits;

import dev.turnpike.contract.Deadlines;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * This node's share of every limit (DESIGN of governance: reserve, then settle). The node leases slices of a
 * limit from its shared counter and reserves requests against them locally, so the common request waits on
 * nothing; when its slice cannot hold a request it asks the counter for more, and when the counter refuses while
 * other nodes hold leases, it asks them to give back what they are not using and tries once more. A slice no
 * request used for {@link Settings#idleReturnMs} goes back; leases are renewed while held and expire if the node
 * stops renewing them (it died). Settled costs are committed in batches by {@link #flush()}.
 *
 * <p>One per node, shared by every event loop: each allowance is guarded by its own lock, held for a few
 * arithmetic operations.
 */
public final class Allowances {
  /**
   * How slices behave.
   *
   * @param sliceRequests how many worst cases a slice may hold beyond the one needed
   * @param inFlightWaitMs how long a request waits when only other requests' reservations stand in its way (they
   *                       settle, usually for less than their worst case, or expire) before it is refused as held
   */
  public record Settings(long leaseTtlMs, long idleReturnMs, int sliceRequests, long storeTimeoutMs,
                         long unreachableForMs, long inFlightWaitMs) {
    public static final Settings DEFAULT = new Settings(10_000, 1_000, 4, 2_000, 5_000, 20_000);

    public Settings withInFlightWaitMs(long waitMs) {
      return new Settings(leaseTtlMs, idleReturnMs, sliceRequests, storeTimeoutMs, unreachableForMs, waitMs);
    }
  }

  /**
   * How long settled costs may wait on the node while the counter is far from its limit: one commit per counter and
   * node a second instead of five (each is an entry processor on two members), at the price of other nodes' view of
   * the spent figure (routing rules' budget_used, reports) being up to a second older, and of a killed node taking
   * up to its last second of settled costs with it.
   */
  static final long SPEND_COMMIT_EVERY_MS = 1_000;
  /** A slice estimate spans at least this long, so a burst's first acquires do not read as a huge rate. */
  private static final long RATE_MIN_SPAN_MS = 250;
  /** The first wait for reservations in flight; each next one doubles, up to {@link #MAX_WAIT_STEP_MS}. */
  private static final long FIRST_WAIT_STEP_MS = 20;
  private static final long MAX_WAIT_STEP_MS = 500;

  /** Asks other nodes to give back their idle slice of {@code key}; completes when they answered or gave up. */
  public interface Reclaimer {
    Future<Void> reclaim(List<String> nodes, String key);

    Reclaimer NONE = (nodes, key) -> Future.succeededFuture();
  }

  /** What one attempt holds; settled or released exactly once. */
  public static final class Hold {
    private final List<Need> needs;
    /** The allowance each need was reserved from, so settling reaches the same one. */
    private final List<Allowance> from;
    private boolean ended;

    private Hold(List<Need> needs, List<Allowance> from) {
      this.needs = List.copyOf(needs);
      this.from = List.copyOf(from);
    }

    public List<Need> needs() {
      return needs;
    }
  }

  public static final Hold NOTHING = new Hold(List.of(), List.of());

  private final Vertx vertx;
  private final String nodeId;
  private final CounterStore store;
  private final Settings settings;
  private final LongSupplier clock;
  private final Map<String, Allowance> allowances = new ConcurrentHashMap<>();
  private volatile Reclaimer reclaimer = Reclaimer.NONE;
  /** When a call to the store last failed, and whether one succeeded since. */
  private volatile long lastStoreFailureMs = Long.MIN_VALUE;

  public Allowances(Vertx vertx, String nodeId, CounterStore store, Settings settings, LongSupplier clock) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  public String nodeId() {
    return nodeId;
  }

  public void reclaimer(Reclaimer reclaimer) {
    this.reclaimer = reclaimer;
  }

  /**
   * True while the shared counters cannot be reached: a call to them failed within the last
   * {@link Settings#unreachableForMs} with none succeeding since.
   */
  public boolean cutOff() {
    return lastStoreFailureMs != Long.MIN_VALUE && clock.getAsLong() - lastStoreFailureMs < settings.unreachableForMs;
  }

  /**
   * Reserves every need, or none: fails with {@link LimitExceeded} naming the first that cannot be held. Completes
   * on whatever thread answered last; callers move back to their context.
   */
  public Future<Hold> reserve(List<Need> needs) {
    if (needs.isEmpty()) {
      return Future.succeededFuture(NOTHING);
    }
    List<Allowance> from = new ArrayList<>(needs.size());
    for (Need need : needs) {
      from.add(allowance(need));
    }
    return reserveFrom(needs, from, 0).map(v -> new Hold(needs, from));
  }

  private Future<Void> reserveFrom(List<Need> needs, List<Allowance> from, int index) {
    if (index == needs.size()) {
      return Future.succeededFuture();
    }
    Need need = needs.get(index);
    Allowance allowance = from.get(index);
    return reserveOne(need, allowance)
        .compose(v -> reserveFrom(needs, from, index + 1)
            .recover(e -> {
              allowance.release(need.amount());
              return Future.failedFuture(e);
            }));
  }

  private Future<Void> reserveOne(Need need, Allowance allowance) {
    boolean partitioned = cutOff();
    if (partitioned && !need.spec().openOnPartition()) {
      return Future.failedFuture(new LimitExceeded(need, 0, true));
    }
    if (allowance.tryTake(need.amount(), clock.getAsLong())) {
      if (!partitioned) {
        refillAhead(allowance, need);
      }
      return Future.succeededFuture();
    }
    if (partitioned) {
      // open on partition: the local slice was all this node may spend until it rejoins
      return Future.failedFuture(new LimitExceeded(need, 0, true));
    }
    return acquire(allowance, need, 0, false, 0);
  }

  /**
   * Asks the shared counter for more, once per node and counter at a time: requests arriving while an acquire runs
   * wait for it and then try the slice it brought (a burst costs a few calls to the counter, not one per request).
   * When the acquire fails, its waiters that the slice cannot hold fail with it.
   */
  private Future<Void> acquire(Allowance allowance, Need need, int round, boolean reclaimed, long waitedMs) {
    Promise<Void> mine = Promise.promise();
    Future<Void> running = allowance.joinOrLead(mine.future());
    if (running != null) {
      return running.transform(done -> {
        allowance.stopWaiting();
        if (allowance.tryTake(need.amount(), clock.getAsLong())) {
          return Future.succeededFuture();
        }
        return done.failed() ? Future.failedFuture(done.cause())
            : acquire(allowance, need, round, reclaimed, waitedMs);
      });
    }
    lead(allowance, need, round, reclaimed, waitedMs).onComplete(result -> {
      allowance.acquired(mine.future());
      mine.handle(result);
    });
    return mine.future();
  }

  private Future<Void> lead(Allowance allowance, Need need, int round, boolean reclaimed, long waitedMs) {
    long deficit = allowance.deficit(need.amount(), clock.getAsLong());
    AcquireProcessor processor = new AcquireProcessor(nodeId, need.limit(), deficit,
        slice(allowance, need, allowance.waiters()), settings.leaseTtlMs, need.keepUntilMs());
    return withDeadline(store.acquire(need.key(), processor))
        .recover(error -> {
          lastStoreFailureMs = clock.getAsLong();
          return Future.failedFuture(new LimitExceeded(need, 0, true));
        })
        .compose(grant -> {
          lastStoreFailureMs = Long.MIN_VALUE;
          allowance.observed(grant.spent(), clock.getAsLong());
          if (grant.refused()) {
            // Requests of this node that were granted meanwhile may have brought slices it can use.
            if (allowance.tryTake(need.amount(), clock.getAsLong())) {
              return Future.succeededFuture();
            }
            if (!reclaimed && !grant.otherHolders().isEmpty()) {
              return reclaimer.reclaim(grant.otherHolders(), need.key())
                  .compose(v -> lead(allowance, need, round + 1, true, waitedMs));
            }
            if (grant.spent() + allowance.unflushed() + need.amount() <= need.limit()) {
              return waitForReservations(allowance, need, grant, waitedMs);
            }
            return Future.failedFuture(new LimitExceeded(need, grant.spent(), false));
          }
          if (allowance.granted(grant.granted(), need.amount(), clock.getAsLong())) {
            return Future.succeededFuture();
          }
          // Requests of other event loops took the slice meanwhile: ask again, a bounded number of times.
          return round < 8 ? lead(allowance, need, round + 1, reclaimed, waitedMs)
              : Future.failedFuture(new LimitExceeded(need, grant.spent(), false));
        });
  }

  /**
   * The slice to ask for beyond the need: about a second of what this node's requests took lately, and at least a
   * few worst cases (one more per request {@code waiting}) and what it already holds; never beyond a share of what
   * is left, which the counter enforces. A busy node asks each counter about once a second, not every few requests;
   * an idle slice goes back within a second.
   */
  private long slice(Allowance allowance, Need need, int waiting) {
    return Math.max(Math.max(need.amount() * (settings.sliceRequests + waiting), allowance.leased()),
        allowance.takenPerSecond(clock.getAsLong(), RATE_MIN_SPAN_MS));
  }

  /**
   * Asks the counter for the next slice while this one still holds requests, so the common request never waits
   * for a round trip to the counter's owner (a busy node's slice lasts about a second: without this, each running
   * out made some requests wait, which shows at p99). Requests arriving meanwhile join it as they join any acquire;
   * a refusal or a failure is left to the next request that needs more.
   */
  private void refillAhead(Allowance allowance, Need need) {
    Promise<Void> mine = Promise.promise();
    if (!allowance.shouldRefillAhead(mine.future())) {
      return;
    }
    AcquireProcessor processor = new AcquireProcessor(nodeId, need.limit(), 0, slice(allowance, need, 0),
        settings.leaseTtlMs, need.keepUntilMs());
    withDeadline(store.acquire(need.key(), processor)).onComplete(result -> {
      if (result.succeeded()) {
        lastStoreFailureMs = Long.MIN_VALUE;
        allowance.observed(result.result().spent(), clock.getAsLong());
        allowance.granted(result.result().granted(), 0, clock.getAsLong());
      } else {
        lastStoreFailureMs = clock.getAsLong();
      }
      allowance.acquired(mine.future());
      mine.complete();
    });
  }

  /**
   * What was spent leaves room for this request: only reservations of requests in flight (here or on other nodes)
   * stand in the way, and they settle, usually far below the worst case they hold, or expire. Refusing now would
   * refuse what the budget may still allow, so the request waits and asks again, with growing steps, until
   * {@link Settings#inFlightWaitMs}; then it is refused as held (a retry, not an exhausted budget).
   */
  private Future<Void> waitForReservations(Allowance allowance, Need need, SharedCounter.Grant grant, long waitedMs) {
    long step = Math.min(MAX_WAIT_STEP_MS, waitedMs == 0 ? FIRST_WAIT_STEP_MS : waitedMs);
    if (waitedMs + step > settings.inFlightWaitMs) {
      return Future.failedFuture(new LimitExceeded(need, grant.spent(), false, true));
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(step, id -> later.complete());
    return later.future().compose(v -> allowance.tryTake(need.amount(), clock.getAsLong()) ? Future.succeededFuture()
        : lead(allowance, need, 0, false, waitedMs + step));
  }

  /**
   * The attempt ended: {@code actual.get(i)} is what it really used of {@code hold.needs().get(i)} (0 when it used
   * nothing; above the reservation when the estimate was low). Idempotent per hold.
   */
  public void settle(Hold hold, long[] actual) {
    synchronized (hold) {
      if (hold.ended) {
        return;
      }
      hold.ended = true;
    }
    long now = clock.getAsLong();
    for (int i = 0; i < hold.needs.size(); i++) {
      hold.from.get(i).settle(hold.needs.get(i).amount(), actual[i], now);
    }
  }

  /** Commits every settled cost and returns idle slices; renews leases still held. The node runs it periodically. */
  public Future<Void> flush() {
    return flush(false);
  }

  /** Gives back every idle slice now (the node drains or another node asked). */
  public Future<Void> returnIdle() {
    return flush(true);
  }

  /** Gives back this node's idle slice of one counter at once: another node needs it. */
  public Future<Void> returnIdle(String key) {
    Allowance allowance = allowances.get(key);
    return allowance == null ? Future.succeededFuture() : commit(allowance, true);
  }

  private Future<Void> flush(boolean returnAll) {
    List<Future<Void>> commits = new ArrayList<>();
    long now = clock.getAsLong();
    for (Allowance allowance : allowances.values()) {
      if (allowance.disposable(now, settings.idleReturnMs * 60)) {
        allowances.remove(allowance.key, allowance);
        continue;
      }
      commits.add(commit(allowance, returnAll));
    }
    return Future.join(commits).mapEmpty();
  }

  private Future<Void> commit(Allowance allowance, boolean returnAll) {
    long now = clock.getAsLong();
    Allowance.Commit commit = allowance.takeCommit(now, returnAll ? 0 : settings.idleReturnMs,
        settings.leaseTtlMs / 3, SPEND_COMMIT_EVERY_MS);
    if (commit == null) {
      return Future.succeededFuture();
    }
    CommitProcessor processor = new CommitProcessor(nodeId, commit.spent(), commit.returned(), settings.leaseTtlMs,
        allowance.keepUntilMs);
    return withDeadline(store.commit(allowance.key, processor))
        .onSuccess(counter -> {
          lastStoreFailureMs = Long.MIN_VALUE;
          allowance.observed(counter.spent(), clock.getAsLong());
        })
        .onFailure(e -> {
          lastStoreFailureMs = clock.getAsLong();
          allowance.commitFailed(commit);
        })
        .mapEmpty();
  }

  /** What the cluster counted as spent of {@code need}'s counter, as of the last answer from it (or a fresh read when that is older than a second). */
  public long spentLately(Need need) {
    Allowance allowance = allowance(need);
    long now = clock.getAsLong();
    if (allowance.observationStale(now, 1_000)) {
      store.read(need.key()).onSuccess(counter -> allowance.observed(counter.spent(), clock.getAsLong()));
    }
    return allowance.spentLately();
  }

  public CounterStore store() {
    return store;
  }

  private Allowance allowance(Need need) {
    Allowance allowance = allowances.computeIfAbsent(need.key(),
        key -> new Allowance(key, need.keepUntilMs(), clock.getAsLong()));
    allowance.limit(need.limit());
    return allowance;
  }

  /** The store's answer, or a failure when it takes longer than {@link Settings#storeTimeoutMs}. */
  private <T> Future<T> withDeadline(Future<T> call) {
    Promise<T> answer = Promise.promise();
    call.onComplete(answer);
    return Deadlines.within(vertx, answer, settings.storeTimeoutMs, () -> Failure.of(FailureCode.NOT_READY,
        "the shared counters did not answer within " + settings.storeTimeoutMs + " ms"));
  }
}
