package dev.turnpike.governance;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.governance.limits.LimitExceeded;
import dev.turnpike.governance.limits.LimitSpec;
import dev.turnpike.governance.limits.Need;
import dev.turnpike.governance.pricing.Price;
import java.time.Instant;
import java.util.Locale;

/**
 * How a refused reservation reads to the client. A budget is 402 {@code billing_error} naming the budget and when
 * it resets, with {@code x-should-retry: false} and the {@code rejected} headers of {@link UnifiedHeaders}, so
 * Claude Code shows the reason instead of retrying; a rate limit is 429 {@code rate_limit_error} with
 * {@code retry-after} in whole seconds. When only requests in flight hold what is left (past the wait for them), it
 * is a 429 too: the client's retry will likely fit once they settle.
 */
final class Refusals {
  private Refusals() {}

  static Failure of(LimitExceeded refusal, long nowMs) {
    Need need = refusal.need();
    LimitSpec spec = need.spec();
    if (refusal.unreachable()) {
      return Failure.of(FailureCode.NOT_READY, "This Turnpike node cannot reach the cluster's shared counters for "
          + spec.label() + "; retry on another node").withRetryAfter(1);
    }
    if (refusal.heldInFlight()) {
      // Not exhausted: the rest is reserved by requests still running, which will settle. Worth retrying soon.
      return Failure.of(FailureCode.RATE_LIMITED, "What is left of " + spec.label() + " is held by requests still "
          + "in flight; retry shortly").withRetryAfter(2);
    }
    long resetSeconds = Math.max(1, (need.windowEndMs() - nowMs + 999) / 1000);
    String resetsAt = Instant.ofEpochMilli(need.windowEndMs()).toString();
    if (spec.isBudget()) {
      String tooBig = need.amount() > need.limit()
          ? "; this request alone could cost up to " + usd(need.amount()) + " (lower max_tokens)" : "";
      return Failure.of(FailureCode.BUDGET_EXHAUSTED, "Budget of " + spec.label() + " reached: " + usd(refusal.spent())
              + " of " + usd(need.limit()) + " spent" + tooBig + "; resets at " + resetsAt)
          .withHeaders(UnifiedHeaders.rejected(need, resetSeconds));
    }
    // A rate limit is worth retrying after the window: Claude Code retries a 429 that says when, up to 60 s.
    return Failure.of(FailureCode.RATE_LIMITED, "Rate limit of " + spec.label() + " reached; resets at " + resetsAt)
        .withRetryAfter((int) Math.min(Integer.MAX_VALUE, resetSeconds));
  }

  static String usd(long nanoUsd) {
    return String.format(Locale.ROOT, "$%.4f", nanoUsd / (double) Price.NANOS_PER_USD);
  }
}
