package dev.turnpike.governance;

import dev.turnpike.governance.limits.Allowances;
import dev.turnpike.governance.limits.Need;
import dev.turnpike.governance.limits.Reset;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code anthropic-ratelimit-unified-*} headers Anthropic's own gateway (inside the pinned Claude Code CLI)
 * puts on answers under a spend cap and on its refusals, the same names and values, so Claude Code's usage warning
 * and retry logic treat Turnpike's budgets as they treat that gateway's caps: {@code allowed}, {@code
 * allowed_warning} past 75% and 95% of the tightest budget (with the threshold passed), {@code rejected} with the
 * period, {@code org_spend_cap_reached} and {@code retry-after}. Utilization is the cluster's spent amount as this
 * node last saw it, at most about a second old, sent as that gateway sends it: two decimals, at most {@code 0.99}
 * while requests are allowed (Claude Code 2.1.332 emits a {@code rate_limit_event} each time the value it reads
 * moves, so more digits would make one on every answer); a refusal's threshold is {@code 1}.
 *
 * <p>Claude Code reads these headers only when it takes its endpoint for a gateway: signed in to one, or, with
 * {@code ANTHROPIC_BASE_URL} elsewhere than api.anthropic.com, an {@code ANTHROPIC_AUTH_TOKEN} shaped as a JWT whose
 * {@code aud} is {@code claude-gateway} (it decodes the payload and checks no signature). It ignores them for an
 * opaque token such as {@code tp-vk-...} (ClaudeCodeEndToEndTest shows both).
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
    return allowed(tightest, utilization);
  }

  /** For an answer under {@code need}'s budget, {@code utilization} (spent over limit) of it used. */
  static Map<String, String> allowed(Need need, double utilization) {
    return headers(need, Math.min(1.0, utilization), false, 0);
  }

  /** For a budget's refusal. */
  static Map<String, String> rejected(Need need, long retryAfterSeconds) {
    return headers(need, 1.0, true, retryAfterSeconds);
  }

  private static Map<String, String> headers(Need need, double utilization, boolean exceeded, long retryAfterSeconds) {
    String reset = Long.toString(need.windowEndMs() / 1000);
    Double surpassed = exceeded ? Double.valueOf(1.0) : null;
    for (double threshold : THRESHOLDS) {
      if (surpassed == null && utilization > threshold) {
        surpassed = threshold;
      }
    }
    String status = exceeded ? "rejected" : surpassed != null ? "allowed_warning" : "allowed";
    Map<String, String> headers = new HashMap<>();
    headers.put("anthropic-ratelimit-unified-status", status);
    headers.put("anthropic-ratelimit-unified-reset", reset);
    headers.put("anthropic-ratelimit-unified-overage-reset", reset);
    headers.put("anthropic-ratelimit-unified-overage-utilization", decimal(utilization, exceeded ? 1.0 : 0.99));
    if (surpassed != null) {
      headers.put("anthropic-ratelimit-unified-overage-surpassed-threshold", decimal(surpassed, 1.0));
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

  /** {@code value} to two decimals, at most {@code max}, without trailing zeros: {@code 0.82}, {@code 0.8}, {@code 1}. */
  private static String decimal(double value, double max) {
    BigDecimal rounded = BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).min(BigDecimal.valueOf(max));
    return rounded.stripTrailingZeros().toPlainString();
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
