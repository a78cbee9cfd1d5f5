package dev.turnpike.router.breakers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {
  private static final Target OPENAI = new Target("openai", "openai", "gpt-5");
  private static final Target OPENAI_MINI = new Target("openai", "openai", "gpt-5-mini");
  private static final BreakerPolicy POLICY = new BreakerPolicy(true, true, 3, 0.5, 10, 10_000, 5_000);
  private final AtomicLong now = new AtomicLong(1_000_000);

  private CircuitBreakers breakers(BreakerPolicy policy, BreakerBoard board) {
    return new CircuitBreakers(policy, board, now::get);
  }

  private static ExchangeRecord attempt(Target target, FailureCode outcome) {
    return new ExchangeRecord("tp-1", "node", Operation.MESSAGES, 0, -1, 1, -1, -1, -1, 0, null, "m", true, null,
        null, List.of(new ExchangeRecord.Attempt(target, 0, -1, 1, outcome, Usage.NONE)), 200, outcome, null,
        Usage.NONE, ExchangeRecord.ClientInfo.NONE, null);
  }

  @Test
  void should_open_after_consecutive_failures_and_skip_the_target_until_the_cool_down_ends() {
    CircuitBreakers breakers = breakers(POLICY, new LocalBreakerBoard());

    breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_OVERLOADED));
    breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_TIMEOUT));
    assertTrue(breakers.allows(OPENAI), "two failures are not three");
    breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_UNAVAILABLE));

    assertFalse(breakers.allows(OPENAI));
    assertEquals(CircuitBreakers.State.OPEN, breakers.state(OPENAI));
    assertTrue(breakers.allows(OPENAI_MINI), "per model: another model of the provider still goes");
    now.addAndGet(4_999);
    assertFalse(breakers.allows(OPENAI));
  }

  @Test
  void should_let_one_probe_through_when_half_open_then_close_on_its_success() {
    CircuitBreakers breakers = breakers(POLICY, new LocalBreakerBoard());
    for (int i = 0; i < 3; i++) {
      breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_ERROR));
    }
    now.addAndGet(5_000);

    assertEquals(CircuitBreakers.State.HALF_OPEN, breakers.state(OPENAI));
    assertTrue(breakers.allows(OPENAI), "the probe");
    assertFalse(breakers.allows(OPENAI), "only one probe at a time");
    breakers.record(attempt(OPENAI, null));

    assertEquals(CircuitBreakers.State.CLOSED, breakers.state(OPENAI));
    assertTrue(breakers.allows(OPENAI));
    assertTrue(breakers.allows(OPENAI));
  }

  @Test
  void should_open_again_when_the_probe_fails() {
    CircuitBreakers breakers = breakers(POLICY, new LocalBreakerBoard());
    for (int i = 0; i < 3; i++) {
      breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_ERROR));
    }
    now.addAndGet(5_000);
    assertTrue(breakers.allows(OPENAI));

    breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_OVERLOADED));

    assertEquals(CircuitBreakers.State.OPEN, breakers.state(OPENAI));
    now.addAndGet(4_000);
    assertFalse(breakers.allows(OPENAI), "a new cool-down from the failed probe");
  }

  @Test
  void should_open_on_the_failure_rate_over_the_window_without_a_run_of_failures() {
    CircuitBreakers breakers = breakers(POLICY, new LocalBreakerBoard());
    for (int i = 0; i < 10; i++) { // fail, succeed, fail, succeed...: never three in a row, 50% over 10
      breakers.record(attempt(OPENAI, i % 2 == 0 ? FailureCode.UPSTREAM_ERROR : null));
      now.addAndGet(100);
    }
    assertFalse(breakers.allows(OPENAI));
  }

  @Test
  void should_forget_failures_older_than_the_window() {
    CircuitBreakers breakers = breakers(new BreakerPolicy(true, true, 100, 0.5, 4, 10_000, 5_000),
        new LocalBreakerBoard());
    breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_ERROR));
    breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_ERROR));
    now.addAndGet(20_000);
    breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_ERROR));
    breakers.record(attempt(OPENAI, null));
    breakers.record(attempt(OPENAI, null));

    assertTrue(breakers.allows(OPENAI), "1 of 3 in the window, the old two expired");
  }

  @Test
  void should_ignore_what_the_client_caused() {
    CircuitBreakers breakers = breakers(POLICY, new LocalBreakerBoard());
    for (FailureCode code : List.of(FailureCode.CLIENT_CLOSED, FailureCode.UPSTREAM_INVALID_REQUEST,
        FailureCode.CLIENT_STALLED, FailureCode.REQUEST_TOO_LARGE, FailureCode.INTERNAL)) {
      breakers.record(attempt(OPENAI, code));
      breakers.record(attempt(OPENAI, code));
      breakers.record(attempt(OPENAI, code));
    }
    assertTrue(breakers.allows(OPENAI));
  }

  @Test
  void should_key_by_provider_when_not_per_model() {
    CircuitBreakers breakers = breakers(new BreakerPolicy(true, false, 3, 0.5, 10, 10_000, 5_000),
        new LocalBreakerBoard());
    breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_ERROR));
    breakers.record(attempt(OPENAI_MINI, FailureCode.UPSTREAM_ERROR));
    breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_ERROR));

    assertFalse(breakers.allows(OPENAI_MINI));
  }

  @Test
  void should_make_every_node_on_the_board_skip_a_target_one_node_opened() {
    LocalBreakerBoard board = new LocalBreakerBoard(); // stands for the cluster's map
    CircuitBreakers nodeA = breakers(POLICY, board);
    CircuitBreakers nodeB = breakers(POLICY, board);
    for (int i = 0; i < 3; i++) {
      nodeA.record(attempt(OPENAI, FailureCode.UPSTREAM_OVERLOADED));
    }

    assertFalse(nodeB.allows(OPENAI), "node B never saw a failure, yet skips the target");
    now.addAndGet(5_000);
    assertTrue(nodeB.allows(OPENAI), "node B sends the probe");
    nodeB.record(attempt(OPENAI, null));
    assertEquals(CircuitBreakers.State.CLOSED, nodeA.state(OPENAI), "and its success closes it on node A too");
  }

  @Test
  void should_never_open_when_disabled() {
    CircuitBreakers breakers = breakers(new BreakerPolicy(false, true, 1, 0.1, 1, 10_000, 5_000),
        new LocalBreakerBoard());
    breakers.record(attempt(OPENAI, FailureCode.UPSTREAM_ERROR));
    assertTrue(breakers.allows(OPENAI));
  }
}
