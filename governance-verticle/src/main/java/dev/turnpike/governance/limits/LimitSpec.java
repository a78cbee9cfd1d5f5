package dev.turnpike.governance.limits;

import java.time.Instant;

/**
 * One configured limit: a budget in USD or a rate limit in requests or tokens, on one subject (a virtual key, a
 * team, a customer, a provider), per calendar window.
 *
 * @param id the stable name its counters are kept under, e.g. {@code vk/vk-alice/budget}
 * @param label how a refusal names it, e.g. {@code virtual key 'vk-alice'}
 * @param limit the size in the unit's smallest amount (nano-USD for budgets)
 * @param openOnPartition whether a node cut off from the cluster may go on spending its local slice
 */
public record LimitSpec(String id, String label, Unit unit, long limit, Reset reset, boolean openOnPartition) {
  public enum Unit { NANO_USD, REQUESTS, TOKENS }

  /** What {@code amount} of this limit needs now: the counter of the window that holds {@code now}. */
  public Need need(long amount, Instant now) {
    Reset.Window window = reset.window(now);
    long end = window.endMs();
    return new Need(this, id + "@" + window.startMs() / 1000, limit, amount, end + 86_400_000L, end);
  }

  public boolean isBudget() {
    return unit == Unit.NANO_USD;
  }
}
