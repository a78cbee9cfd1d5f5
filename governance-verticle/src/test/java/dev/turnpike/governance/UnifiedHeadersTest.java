package dev.turnpike.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.turnpike.governance.limits.LimitSpec;
import dev.turnpike.governance.limits.Need;
import dev.turnpike.governance.limits.Reset;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The values the pinned Claude Code CLI (2.1.332) reads from the {@code anthropic-ratelimit-unified-*} headers, in
 * the shapes Anthropic's own gateway inside it sends: utilization a fraction with two decimals, kept below 1 while
 * requests are allowed (the CLI emits a {@code rate_limit_event} whenever the value moves, so more digits make one on
 * every answer), the threshold passed ({@code 0.75}, {@code 0.95}, {@code 1} once refused), resets in Unix seconds.
 */
class UnifiedHeadersTest {
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final long MIDNIGHT = Instant.parse("2026-12-04T00:00:00Z").getEpochSecond();
  private static final Need NEED = new LimitSpec("vk/vk-a/budget/1d", "virtual key 'vk-a' (1d budget)",
      LimitSpec.Unit.NANO_USD, 1_200_000_000L, Reset.DAY, false).need(1, NOW);

  @Test
  void should_send_an_answer_past_75_percent_allowed_warning_with_the_threshold_and_a_two_decimal_utilization() {
    Map<String, String> headers = UnifiedHeaders.allowed(NEED, 0.7533333333333333);

    assertEquals("allowed_warning", headers.get("anthropic-ratelimit-unified-status"));
    assertEquals("allowed_warning", headers.get("anthropic-ratelimit-unified-overage-status"));
    assertEquals("overage", headers.get("anthropic-ratelimit-unified-representative-claim"));
    assertEquals("0.75", headers.get("anthropic-ratelimit-unified-overage-surpassed-threshold"));
    assertEquals("0.75", headers.get("anthropic-ratelimit-unified-overage-utilization"));
    assertEquals(Long.toString(MIDNIGHT), headers.get("anthropic-ratelimit-unified-reset"));
    assertEquals(Long.toString(MIDNIGHT), headers.get("anthropic-ratelimit-unified-overage-reset"));
  }

  @Test
  void should_round_utilization_to_two_decimals_so_the_figure_moves_only_with_the_percentage() {
    assertEquals("0.8", utilization(UnifiedHeaders.allowed(NEED, 0.80000083)));
    assertEquals("0.8", utilization(UnifiedHeaders.allowed(NEED, 0.8004)));
    assertEquals("0.96", utilization(UnifiedHeaders.allowed(NEED, 0.9617)));
    assertEquals("0.12", utilization(UnifiedHeaders.allowed(NEED, 0.1234)));
    assertEquals("0", utilization(UnifiedHeaders.allowed(NEED, 0.0)));
  }

  @Test
  void should_keep_utilization_below_1_while_the_answer_is_allowed() {
    Map<String, String> nearly = UnifiedHeaders.allowed(NEED, 0.998);
    Map<String, String> overByStaleness = UnifiedHeaders.allowed(NEED, 1.02);

    assertEquals("0.99", utilization(nearly));
    assertEquals("0.95", nearly.get("anthropic-ratelimit-unified-overage-surpassed-threshold"));
    assertEquals("allowed_warning", nearly.get("anthropic-ratelimit-unified-status"));
    assertEquals("0.99", utilization(overByStaleness));
  }

  @Test
  void should_send_allowed_without_a_threshold_below_75_percent() {
    Map<String, String> headers = UnifiedHeaders.allowed(NEED, 0.5);

    assertEquals("allowed", headers.get("anthropic-ratelimit-unified-status"));
    assertEquals("allowed", headers.get("anthropic-ratelimit-unified-overage-status"));
    assertEquals("0.5", utilization(headers));
    assertNull(headers.get("anthropic-ratelimit-unified-overage-surpassed-threshold"));
  }

  @Test
  void should_send_a_refusal_rejected_with_threshold_1_the_period_and_the_spend_cap_reason() {
    Map<String, String> headers = UnifiedHeaders.rejected(NEED, 50_400);

    assertEquals("rejected", headers.get("anthropic-ratelimit-unified-status"));
    assertEquals("1", headers.get("anthropic-ratelimit-unified-overage-surpassed-threshold"));
    assertEquals("1", utilization(headers));
    assertEquals("daily", headers.get("anthropic-ratelimit-unified-overage-period"));
    assertEquals("org_spend_cap_reached", headers.get("anthropic-ratelimit-unified-overage-disabled-reason"));
    assertEquals(Long.toString(MIDNIGHT), headers.get("anthropic-ratelimit-unified-reset"));
    assertEquals("50400", headers.get("retry-after"));
    assertEquals("false", headers.get("x-should-retry"));
    // Without these the CLI prints the refusal's own message instead of composing a "You've hit your limit" line.
    assertFalse(headers.containsKey("anthropic-ratelimit-unified-representative-claim"));
    assertFalse(headers.containsKey("anthropic-ratelimit-unified-overage-status"));
  }

  private static String utilization(Map<String, String> headers) {
    return headers.get("anthropic-ratelimit-unified-overage-utilization");
  }
}
