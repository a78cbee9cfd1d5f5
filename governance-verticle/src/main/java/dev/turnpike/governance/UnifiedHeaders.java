package dev.turnpike.governance;

import dev.turnpike.governance.limits.Allowances;
import dev.turnpike.governance.limits.Need;
import dev.turnpike.governance.limits.Reset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code anthropic-ratelimit-unified-*} headers Anthropic's own gateway (inside the pinned Claude Code CLI)
 * puts on answers under a spend cap and on its refusals, the same names and values, so Claude Code's usage warning
 * and retry logic treat Turnpike's budgets as they treat that gateway's caps: {@code allowed}, {@code
 * allowed_warning} past 75% and 95% of the tightest budget (with the threshold passed), {@code rejected} with the
 * period, {@code org_spend_cap_reached} and {@code retry-after}. Utilization is the cluster's spent amount as this
 * node last saw it, at most about a second old.
 */
final class UnifiedHeaders {
  private static final double[] THRESHOLDS = {0.95, 0.75};

  private UnifiedHeaders() {}

  /** For an answer: the tightest budget among {@code needs}; empty when no budget applies. */
  static Map<String, String> allowed(List<Need> needs, Allowances allowances) {
    Need tightest = null;
    double utilization = -1;
    for (Need need : needs) {
      if (need.spec().isBudget() && need.limit() > 0) {
        double used = allowances.spentLately(need) / (double) need.limit();
        if (used > utilization) {
          utilization = used;
          tightest = need;
        }
      }
    }
    if (tightest == null) {
      return Map.of();
    }
    return headers(tightest, Math.min(1.0, utilization), false, 0);
  }

  /** For a budget's refusal. */
  static Map<String, String> rejected(Need need, long retryAfterSeconds) {
    return headers(need, 1.0, true, retryAfterSeconds);
  }

  private static Map<String, String> headers(Need need, double utilization, boolean exceeded, long retryAfterSeconds) {
    String reset = Long.toString(need.windowEndMs() / 1000);
    Double surpassed = null;
    for (double threshold : THRESHOLDS) {
      if (surpassed == null && (exceeded || utilization > threshold)) {
        surpassed = threshold;
      }
    }
    String status = exceeded ? "rejected" : surpassed != null ? "allowed_warning" : "allowed";
    Map<String, String> headers = new HashMap<>();
    headers.put("anthropic-ratelimit-unified-status", status);
    headers.put("anthropic-ratelimit-unified-reset", reset);
    headers.put("anthropic-ratelimit-unified-overage-reset", reset);
    headers.put("anthropic-ratelimit-unified-overage-utilization", String.valueOf(utilization));
    if (surpassed != null) {
      headers.put("anthropic-ratelimit-unified-overage-surpassed-threshold", String.valueOf(surpassed));
    }
    if (exceeded) {
      headers.put("anthropic-ratelimit-unified-overage-period", period(need.spec().reset()));
      headers.put("anthropic-ratelimit-unified-overage-disabled-reason", "org_spend_cap_reached");
      headers.put("retry-after", Long.toString(Math.max(1, retryAfterSeconds)));
      headers.put("x-should-retry", "false");
    } else {
      headers.put("anthropic-ratelimit-unified-representative-claim", "overage");
      headers.put("anthropic-ratelimit-unified-overage-status", status);
    }
    return Map.copyOf(headers);
  }

  private static String period(Reset reset) {
    return switch (reset) {
      case MINUTE -> "minute";
      case FIVE_MINUTES -> "five_minutes";
      case HOUR -> "hourly";
      case DAY -> "daily";
      case WEEK -> "weekly";
      case MONTH -> "monthly";
      case QUARTER -> "quarterly";
      case YEAR -> "yearly";
    };
  }
}
