package dev.turnpike.governance.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SharedCounterTest {
  private static final long TTL = 10_000;

  @Test
  void should_grant_what_is_needed_plus_a_share_of_what_is_left_as_a_slice() {
    SharedCounter.Result result = SharedCounter.EMPTY.acquire("a", 1_000, 10, 40, TTL, 0);

    assertEquals(50, result.grant().granted(), "need 10 + extra 40, well within half of the 990 left");
    assertEquals(50, result.next().leased());
  }

  @Test
  void should_shrink_slices_as_the_limit_nears_so_the_last_of_it_goes_out_in_exact_amounts() {
    SharedCounter counter = new SharedCounter(900, java.util.Map.of());

    SharedCounter.Result first = counter.acquire("a", 1_000, 10, 400, TTL, 0);
    assertEquals(10 + 45, first.grant().granted(), "half of the 90 left beyond the need");
    SharedCounter.Result second = first.next().acquire("b", 1_000, 10, 400, TTL, 0);
    assertEquals(10 + 8, second.grant().granted(), "a quarter of the 35 left: two holders now");
  }

  @Test
  void should_refuse_what_the_limit_cannot_hold_and_name_the_other_holders() {
    SharedCounter counter = SharedCounter.EMPTY.acquire("a", 100, 60, 0, TTL, 0).next()
        .acquire("b", 100, 30, 0, TTL, 0).next();

    SharedCounter.Grant refused = counter.acquire("c", 100, 11, 0, TTL, 0).grant();

    assertTrue(refused.refused());
    assertEquals(List.of("a", "b"), refused.otherHolders());
    assertEquals(10, counter.acquire("c", 100, 10, 0, TTL, 0).grant().granted(), "exactly what is left fits");
  }

  @Test
  void should_move_spent_amounts_out_of_the_lease_and_drop_the_lease_when_all_is_given_back() {
    SharedCounter counter = SharedCounter.EMPTY.acquire("a", 1_000, 100, 0, TTL, 0).next();

    SharedCounter spent = counter.commit("a", 30, 0, TTL, 1);
    assertEquals(30, spent.spent());
    assertEquals(70, spent.leased());
    SharedCounter returned = spent.commit("a", 0, 70, TTL, 2);
    assertEquals(0, returned.leased());
    assertTrue(returned.leases().isEmpty());
  }

  @Test
  void should_count_a_cost_above_the_lease_in_full() {
    SharedCounter counter = SharedCounter.EMPTY.acquire("a", 1_000, 100, 0, TTL, 0).next();

    SharedCounter after = counter.commit("a", 130, 0, TTL, 1);

    assertEquals(130, after.spent());
    assertEquals(0, after.leased());
  }

  @Test
  void should_free_a_lease_its_node_stopped_renewing_and_still_count_what_that_node_commits_later() {
    SharedCounter counter = SharedCounter.EMPTY.acquire("dead", 100, 100, 0, TTL, 0).next();

    assertTrue(counter.acquire("alive", 100, 1, 0, TTL, TTL - 1).grant().refused(), "still leased");
    SharedCounter.Result after = counter.acquire("alive", 100, 100, 0, TTL, TTL);
    assertEquals(100, after.grant().granted(), "the dead node's lease expired");
    assertEquals(40, after.next().commit("dead", 40, 0, TTL, TTL + 1).spent(), "a late commit is not lost");
  }

  @Test
  void should_renew_a_lease_with_an_empty_commit() {
    SharedCounter counter = SharedCounter.EMPTY.acquire("a", 100, 50, 0, TTL, 0).next()
        .commit("a", 0, 0, TTL, TTL - 1);

    assertEquals(50, counter.expire(TTL + 1).leased(), "renewed at TTL - 1, so alive until 2 TTL - 1");
  }
}
