package dev.turnpike.governance;

import static dev.turnpike.governance.Records.GPT5;
import static dev.turnpike.governance.Records.SONNET;
import static dev.turnpike.governance.Records.admitted;
import static dev.turnpike.governance.Records.answered;
import static dev.turnpike.governance.Records.failed;
import static dev.turnpike.governance.Records.messages;
import static dev.turnpike.governance.Records.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Usage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageSettlementTest {
  private static final String SONNET_KEY = UsageKey.of("vk-alice", "anthropic/claude-sonnet-4-5");
  private static final String GPT5_KEY = UsageKey.of("vk-alice", "openai/gpt-5");

  @Test
  void should_count_each_attempts_tokens_on_its_target_and_one_request_on_the_last_when_a_request_failed_over() {
    Map<String, UsageTotals> deltas = UsageSettlement.of(messages(admitted("vk-alice"),
        failed(SONNET, FailureCode.UPSTREAM_OVERLOADED, new Usage(100, 0, 40, 0)),
        answered(GPT5, new Usage(120, 30, 0, 7))));

    assertEquals(Map.of(
        SONNET_KEY, new UsageTotals(0, 100, 0, 40, 0),
        GPT5_KEY, new UsageTotals(1, 120, 30, 0, 7)), deltas);
  }

  @Test
  void should_leave_out_an_earlier_attempt_when_it_used_no_tokens() {
    Map<String, UsageTotals> deltas = UsageSettlement.of(messages(admitted("vk-alice"),
        failed(SONNET, FailureCode.UPSTREAM_UNAVAILABLE, Usage.NONE),
        answered(GPT5, new Usage(12, 3, 0, 0))));

    assertEquals(Map.of(GPT5_KEY, new UsageTotals(1, 12, 3, 0, 0)), deltas);
  }

  @Test
  void should_count_the_request_on_the_last_target_when_the_final_attempt_failed_without_tokens() {
    Map<String, UsageTotals> deltas = UsageSettlement.of(messages(admitted("vk-alice"),
        failed(SONNET, FailureCode.UPSTREAM_TIMEOUT, new Usage(50, 0, 0, 0)),
        failed(GPT5, FailureCode.UPSTREAM_TIMEOUT, Usage.NONE)));

    assertEquals(Map.of(
        SONNET_KEY, new UsageTotals(0, 50, 0, 0, 0),
        GPT5_KEY, new UsageTotals(1, 0, 0, 0, 0)), deltas);
  }

  @Test
  void should_add_attempts_together_and_count_one_request_when_every_attempt_went_to_the_same_target() {
    Map<String, UsageTotals> deltas = UsageSettlement.of(messages(admitted("vk-alice"),
        failed(SONNET, FailureCode.UPSTREAM_ERROR, new Usage(10, 1, 0, 0)),
        answered(SONNET, new Usage(20, 2, 0, 0))));

    assertEquals(Map.of(SONNET_KEY, new UsageTotals(1, 30, 3, 0, 0)), deltas);
  }

  @Test
  void should_count_on_the_admitted_subject_when_settling() {
    Map<String, UsageTotals> deltas = UsageSettlement.of(messages(admitted("key:0123456789abcdef"),
        answered(SONNET, new Usage(1, 1, 0, 0))));

    assertEquals(Map.of("key:0123456789abcdef|anthropic/claude-sonnet-4-5", new UsageTotals(1, 1, 1, 0, 0)), deltas);
  }

  @Test
  void should_count_nothing_when_the_record_is_a_count_tokens_call() {
    assertTrue(UsageSettlement.of(record(Operation.COUNT_TOKENS, admitted("vk-alice"),
        answered(SONNET, new Usage(100, 0, 0, 0)))).isEmpty());
  }

  @Test
  void should_count_nothing_when_the_request_was_refused_before_admission() {
    assertTrue(UsageSettlement.of(messages(null, answered(SONNET, new Usage(100, 5, 0, 0)))).isEmpty());
  }

  @Test
  void should_count_nothing_when_the_request_never_reached_a_provider() {
    assertTrue(UsageSettlement.of(messages(admitted("vk-alice"))).isEmpty());
  }
}
