package dev.turnpike.governance.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several nodes' allowances over one store, as the cluster runs them (the store applies the same processors). */
class AllowancesTest {
  private static final LimitSpec BUDGET = new LimitSpec("vk/a/budget/1d", "virtual key 'a' (1d budget)",
      LimitSpec.Unit.NANO_USD, 1_000, Reset.DAY, false);
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  private Vertx vertx;
  private LocalCounterStore store;
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final Map<String, Allowances> nodes = new HashMap<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = new LocalCounterStore();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private Allowances node(String id) {
    return node(id, Allowances.Settings.DEFAULT);
  }

  private Allowances node(String id, Allowances.Settings settings) {
    Allowances node = new Allowances(vertx, id, store, settings, clock::get);
    node.reclaimer((holders, key) -> Future.join(holders.stream().map(h -> nodes.get(h).returnIdle(key)).toList())
        .mapEmpty());
    nodes.put(id, node);
    return node;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static Need need(long amount) {
    return BUDGET.need(amount, NOW);
  }

  private SharedCounter counter() throws Exception {
    return await(store.read(need(0).key()));
  }

  @Test
  void should_take_a_slice_once_and_serve_the_next_requests_from_it_without_asking_the_store() throws Exception {
    Allowances a = node("a");

    await(a.reserve(List.of(need(10))));
    SharedCounter afterFirst = counter();
    await(a.reserve(List.of(need(10))));
    await(a.reserve(List.of(need(10))));

    assertEquals(50, afterFirst.leased(), "10 needed + 4 more worst cases as a slice");
    assertEquals(afterFirst, counter(), "the next two came out of the slice");
  }

  @Test
  void should_commit_the_real_cost_and_keep_the_rest_of_the_reservation_as_slice() throws Exception {
    Allowances a = node("a");
    Allowances.Hold hold = await(a.reserve(List.of(need(10))));

    a.settle(hold, new long[] {3});
    a.settle(hold, new long[] {3}); // a second settle of one hold changes nothing
    await(a.flush());

    assertEquals(3, counter().spent());
    assertEquals(47, counter().leased());
  }

  @Test
  void should_give_an_idle_slice_back_after_the_idle_time() throws Exception {
    Allowances a = node("a");
    a.settle(await(a.reserve(List.of(need(10)))), new long[] {4});

    clock.addAndGet(Allowances.Settings.DEFAULT.idleReturnMs());
    await(a.flush());

    assertEquals(4, counter().spent());
    assertEquals(0, counter().leased());
  }

  @Test
  void should_ask_other_nodes_for_their_idle_slices_before_refusing() throws Exception {
    Allowances a = node("a");
    Allowances b = node("b");
    // a holds slices; b's request only fits once a gives back what it does not use.
    List<Allowances.Hold> held = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      held.add(await(a.reserve(List.of(need(100)))));
    }
    assertTrue(counter().leased() > 900, "a holds more than it uses: " + counter());

    Allowances.Hold last = await(b.reserve(List.of(need(100))));

    assertEquals(List.of(need(100)), last.needs());
    assertEquals(1_000, counter().leased(), "nine for a, one for b, nothing idle left");
  }

  @Test
  void should_refuse_naming_the_limit_when_what_is_left_cannot_hold_the_worst_case() throws Exception {
    Allowances a = node("a");
    for (int i = 0; i < 9; i++) {
      a.settle(await(a.reserve(List.of(need(100)))), new long[] {100});
    }

    Throwable refusal = a.reserve(List.of(need(101))).toCompletionStage().toCompletableFuture()
        .handle((ok, e) -> e.getCause() == null ? e : e.getCause()).get(5, TimeUnit.SECONDS);

    LimitExceeded exceeded = assertInstanceOf(LimitExceeded.class, refusal);
    assertFalse(exceeded.unreachable());
    assertEquals(BUDGET, exceeded.need().spec());
    await(a.reserve(List.of(need(100)))); // exactly the 100 left still fits
  }

  @Test
  void should_release_what_it_reserved_of_other_limits_when_one_refuses() throws Exception {
    LimitSpec requests = new LimitSpec("vk/a/requests/1m", "rpm", LimitSpec.Unit.REQUESTS, 1, Reset.MINUTE, false);
    Allowances a = node("a");
    a.settle(await(a.reserve(List.of(requests.need(1, NOW)))), new long[] {1});

    assertFalse(awaitSucceeded(a.reserve(List.of(need(500), requests.need(1, NOW)))), "the request limit is used");
    // The budget's 500 went back: 1,000 still fits whole.
    await(a.reserve(List.of(need(1_000))));
  }

  @Test
  void should_wait_for_reservations_in_flight_and_admit_the_request_once_they_settle_below_their_worst_case()
      throws Exception {
    Allowances a = node("a");
    Allowances b = node("b");
    Allowances.Hold running = await(a.reserve(List.of(need(600))));
    Future<Allowances.Hold> waiting = b.reserve(List.of(need(600))); // 600 + 600 > 1,000: only while a's runs
    Thread.sleep(200);
    assertFalse(waiting.isComplete(), "not refused: what was spent leaves room");
    a.settle(running, new long[] {100});
    await(a.flush());
    await(waiting); // 100 spent + 600 fits
  }

  @Test
  void should_refuse_as_held_in_flight_when_reservations_stay_for_the_whole_wait() throws Exception {
    Allowances a = node("a");
    Allowances b = node("b", Allowances.Settings.DEFAULT.withInFlightWaitMs(300));
    await(a.reserve(List.of(need(600))));
    Throwable refusal = b.reserve(List.of(need(600))).toCompletionStage().toCompletableFuture()
        .handle((ok, e) -> e.getCause() == null ? e : e.getCause()).get(5, TimeUnit.SECONDS);
    LimitExceeded exceeded = assertInstanceOf(LimitExceeded.class, refusal);
    assertTrue(exceeded.heldInFlight(), "held, not exhausted");
    assertFalse(exceeded.unreachable());
  }

  @Test
  void should_ask_the_counter_about_once_a_second_when_busy_rather_than_every_few_requests() throws Exception {
    LimitSpec big = new LimitSpec("vk/busy/budget/1d", "virtual key 'busy' (1d budget)", LimitSpec.Unit.NANO_USD,
        1_000_000_000_000L, Reset.DAY, false);
    CountingStore counting = new CountingStore(store);
    java.util.concurrent.atomic.AtomicInteger acquires = counting.acquires;
    Allowances busy = new Allowances(vertx, "busy", counting, Allowances.Settings.DEFAULT, clock::get);
    // 100 requests a second for 5 s, each reserving 1,000 and settling 100; the node's 200 ms commits run too.
    java.util.ArrayDeque<Allowances.Hold> running = new java.util.ArrayDeque<>();
    for (int i = 0; i < 500; i++) {
      clock.addAndGet(10);
      running.add(await(busy.reserve(List.of(big.need(1_000, NOW)))));
      if (running.size() > 8) { // about 80 ms each
        busy.settle(running.poll(), new long[] {100});
      }
      if (i % 20 == 19) {
        await(busy.flush());
      }
    }
    System.out.println("slice test: acquires " + acquires.get());
    assertTrue(acquires.get() <= 12, "asked the counter " + acquires.get() + " times for 500 requests over 5 s");
  }

  @Test
  void should_commit_settled_costs_once_a_second_far_from_the_limit_and_at_every_flush_near_it() throws Exception {
    LimitSpec big = new LimitSpec("vk/far/budget/1d", "far", LimitSpec.Unit.NANO_USD, 1_000_000_000L, Reset.DAY,
        false);
    Allowances a = node("a");
    a.settle(await(a.reserve(List.of(big.need(1_000, NOW)))), new long[] {100});
    await(a.flush());
    assertEquals(100, await(store.read(big.need(0, NOW).key())).spent(), "the first commit goes at once");
    a.settle(await(a.reserve(List.of(big.need(1_000, NOW)))), new long[] {100});
    clock.addAndGet(200);
    await(a.flush());
    assertEquals(100, await(store.read(big.need(0, NOW).key())).spent(), "far from the limit it waits");
    assertTrue(counter(big).leased() >= 100, "meanwhile the lease still holds it as reserved");
    clock.addAndGet(1_000);
    await(a.flush());
    assertEquals(200, await(store.read(big.need(0, NOW).key())).spent());

    a.settle(await(a.reserve(List.of(need(900)))), new long[] {850}); // BUDGET is 1,000: near its limit now
    await(a.flush());
    a.settle(await(a.reserve(List.of(need(50)))), new long[] {50});
    clock.addAndGet(200);
    await(a.flush());
    assertEquals(900, counter().spent(), "near the limit every flush commits");
  }

  @Test
  void should_ask_for_the_next_slice_while_a_quarter_of_this_one_is_left_so_no_request_waits_for_it()
      throws Exception {
    LimitSpec big = new LimitSpec("vk/ahead/budget/1d", "ahead", LimitSpec.Unit.NANO_USD, 1_000_000_000L,
        Reset.DAY, false);
    CountingStore counting = new CountingStore(store);
    java.util.concurrent.atomic.AtomicInteger acquires = counting.acquires;
    Allowances a = new Allowances(vertx, "a", counting, Allowances.Settings.DEFAULT, clock::get);
    await(a.reserve(List.of(big.need(1_000, NOW)))); // the first asks: 1,000 and a slice of four more worst cases
    assertEquals(1, acquires.get());
    for (int i = 0; i < 2; i++) {
      await(a.reserve(List.of(big.need(1_000, NOW))));
    }
    assertEquals(1, acquires.get(), "more than a quarter of the slice (5,000) is still left");
    await(a.reserve(List.of(big.need(1_000, NOW)))); // fits, and leaves less than a quarter: the refill goes now
    assertEquals(2, acquires.get(), "the next slice was asked for before a request needed it");
    long leasedAfterRefill = counter(big).leased();
    assertTrue(leasedAfterRefill > 5 * 1_000, "the refill added to the lease: " + leasedAfterRefill);
    await(a.reserve(List.of(big.need(1_000, NOW))));
    assertEquals(2, acquires.get(), "the request after it found the slice there");
  }

  private SharedCounter counter(LimitSpec spec) throws Exception {
    return await(store.read(spec.need(0, NOW).key()));
  }

  /** The test's store, counting the acquires that reach it. */
  private static final class CountingStore implements CounterStore {
    final java.util.concurrent.atomic.AtomicInteger acquires = new java.util.concurrent.atomic.AtomicInteger();
    private final CounterStore real;

    CountingStore(CounterStore real) {
      this.real = real;
    }

    @Override
    public Future<SharedCounter.Grant> acquire(String key, AcquireProcessor acquire) {
      acquires.incrementAndGet();
      return real.acquire(key, acquire);
    }

    @Override
    public Future<SharedCounter> commit(String key, CommitProcessor commit) {
      return real.commit(key, commit);
    }

    @Override
    public Future<SharedCounter> read(String key) {
      return real.read(key);
    }
  }

  private static boolean awaitSucceeded(Future<?> future) {
    try {
      await(future);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void should_keep_an_allowance_whose_first_lease_is_still_being_asked_for_when_a_flush_runs_meanwhile()
      throws Exception {
    // A store that answers the first acquire only when told: a flush runs while it waits.
    io.vertx.core.Promise<SharedCounter.Grant> answer = io.vertx.core.Promise.promise();
    LocalCounterStore real = store;
    store = null;
    CounterStore slow = new CounterStore() {
      @Override
      public Future<SharedCounter.Grant> acquire(String key, AcquireProcessor acquire) {
        return real.acquire(key, acquire).compose(grant -> answer.future().map(v -> grant));
      }

      @Override
      public Future<SharedCounter> commit(String key, CommitProcessor commit) {
        return real.commit(key, commit);
      }

      @Override
      public Future<SharedCounter> read(String key) {
        return real.read(key);
      }
    };
    clock.set(Instant.parse("2026-12-02T12:00:00Z").toEpochMilli()); // far from 0: a fresh allowance is not stale
    Allowances a = new Allowances(vertx, "a", slow, Allowances.Settings.DEFAULT, clock::get);
    Future<Allowances.Hold> pending = a.reserve(List.of(need(10)));

    await(a.flush());
    answer.complete();
    a.settle(await(pending), new long[] {6});
    clock.addAndGet(Allowances.Settings.DEFAULT.idleReturnMs());
    await(a.flush());

    SharedCounter counter = await(real.read(need(0).key()));
    assertEquals(6, counter.spent(), "the settled cost was committed");
    assertEquals(0, counter.leased(), "and the slice given back: " + counter);
  }

  @Test
  void should_never_grant_more_than_the_limit_when_three_nodes_reserve_at_once_and_refuse_only_when_it_is_spent()
      throws Exception {
    List<Allowances> three = List.of(node("a"), node("b"), node("c"));
    List<Future<Allowances.Hold>> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Allowances node = three.get(i % 3);
      Future<Allowances.Hold> hold = node.reserve(List.of(need(7)));
      hold.onSuccess(h -> node.settle(h, new long[] {5}));
      all.add(hold);
    }
    Future.join(all).toCompletionStage().toCompletableFuture().handle((v, e) -> null).get(10, TimeUnit.SECONDS);
    for (Allowances node : three) {
      await(node.returnIdle());
    }

    long admitted = all.stream().filter(Future::succeeded).count();
    SharedCounter counter = counter();
    assertEquals(admitted * 5, counter.spent());
    assertTrue(counter.spent() <= 1_000, "spent " + counter.spent());
    assertTrue(1_000 - counter.spent() < 7 || admitted == 300,
        "budget left unused " + (1_000 - counter.spent()) + " must be under one worst case (7)");
    assertEquals(0, counter.leased(), "every slice came back");
  }
}
