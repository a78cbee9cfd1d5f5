package dev.turnpike.governance;

import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import dev.turnpike.governance.identity.BudgetSpec;
import dev.turnpike.governance.identity.Identities;
import dev.turnpike.governance.identity.KeyHasher;
import dev.turnpike.governance.identity.RateLimitSpec;
import dev.turnpike.governance.limits.LimitSpec;
import dev.turnpike.governance.limits.Need;
import dev.turnpike.governance.limits.Reset;
import dev.turnpike.governance.pricing.Price;
import dev.turnpike.governance.pricing.PriceTable;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who may do what, at what price, within which limits: the identities, the price table, and every limit that
 * applies to an attempt (its key's, team's and customer's budgets; its key's and its provider's rate limits).
 * Immutable; built once per config.
 */
public final class GovernancePolicy {
  private final boolean enforceVirtualKeys;
  private final Identities identities;
  private final PriceTable prices;
  /** Limits by subject ({@code vk/<id>}, {@code team/<id>}, {@code customer/<id>}, {@code provider/<name>}). */
  private final Map<String, List<LimitSpec>> limitsBySubject;

  private GovernancePolicy(boolean enforceVirtualKeys, Identities identities, PriceTable prices,
                           Map<String, List<LimitSpec>> limitsBySubject) {
    this.enforceVirtualKeys = enforceVirtualKeys;
    this.identities = identities;
    this.prices = prices;
    this.limitsBySubject = Map.copyOf(limitsBySubject);
  }

  /** The policy of {@code config} (already resolved and validated); {@code problems} collects what is wrong. */
  public static GovernancePolicy fromConfig(JsonObject config, KeyHasher hasher, List<String> problems) {
    JsonObject governance = config.getJsonObject("governance", new JsonObject());
    Identities identities = Identities.parse(governance, hasher, problems);
    PriceTable prices;
    try {
      prices = PriceTable.fromConfig(config);
    } catch (IllegalArgumentException | ClassCastException e) {
      problems.add("pricing: " + e.getMessage());
      prices = new PriceTable(Map.of(), null);
    }
    Map<String, List<LimitSpec>> limits = new HashMap<>();
    for (Identities.Customer c : identities.customers()) {
      budget(limits, "customer/" + c.id(), "customer '" + c.id() + "'", c.budget());
    }
    for (Identities.Team t : identities.teams()) {
      budget(limits, "team/" + t.id(), "team '" + t.id() + "'", t.budget());
    }
    for (Identities.VirtualKey k : identities.keys()) {
      budget(limits, "vk/" + k.id(), "virtual key '" + k.id() + "'", k.budget());
      rate(limits, "vk/" + k.id(), "virtual key '" + k.id() + "'", k.rateLimit());
    }
    JsonObject providers = config.getJsonObject("providers", new JsonObject());
    for (String name : providers.fieldNames()) {
      if (providers.getValue(name) instanceof JsonObject provider) {
        rate(limits, "provider/" + name, "provider '" + name + "'",
            RateLimitSpec.parse(provider, "providers." + name, problems));
      }
    }
    return new GovernancePolicy(governance.getBoolean("enforce_virtual_keys", false), identities, prices, limits);
  }

  public boolean enforceVirtualKeys() {
    return enforceVirtualKeys;
  }

  public Identities identities() {
    return identities;
  }

  public Price priceOf(Target target) {
    return prices.priceOf(target);
  }

  /**
   * What a completed request cost, in nano-USD: each attempt's usage at its target's price, as settlement counts
   * it. For the request log and metrics, which read the record after the fact.
   */
  public long costNanos(dev.turnpike.contract.ExchangeRecord record) {
    long nanos = 0;
    for (dev.turnpike.contract.ExchangeRecord.Attempt attempt : record.attempts()) {
      nanos += costNanos(attempt.target(), attempt.usage());
    }
    return nanos;
  }

  /** What {@code usage} on {@code target} cost, in nano-USD; 0 for a target without a price (no budget let it in). */
  public long costNanos(Target target, dev.turnpike.contract.Usage usage) {
    Price price = prices.priceOf(target);
    return price == null ? 0 : price.costNanos(usage);
  }

  /** Budgets that apply to an attempt by {@code key} (null: no key): its own, its team's, its customer's. */
  public List<LimitSpec> budgets(Identities.VirtualKey key) {
    List<LimitSpec> out = new ArrayList<>(3);
    if (key != null) {
      budgetsOf("vk/" + key.id(), out);
      budgetsOf("team/" + key.team(), out);
      budgetsOf("customer/" + key.customer(), out);
    }
    return out;
  }

  /** Rate limits that apply to an attempt by {@code key} (null: no key) on {@code target}. */
  public List<LimitSpec> rateLimits(Identities.VirtualKey key, Target target) {
    List<LimitSpec> out = new ArrayList<>(4);
    if (key != null) {
      ratesOf("vk/" + key.id(), out);
    }
    ratesOf("provider/" + target.provider(), out);
    return out;
  }

  /** Every limit, for the admin API's usage report. */
  public Map<String, List<LimitSpec>> allLimits() {
    return limitsBySubject;
  }

  /** The needs of one attempt: the worst case against each budget, one request and the worst-case tokens against each rate limit. */
  public static List<Need> needs(List<LimitSpec> budgets, List<LimitSpec> rates, long worstCaseNanoUsd,
                                 long worstCaseTokens, Instant now) {
    List<Need> needs = new ArrayList<>(budgets.size() + rates.size());
    for (LimitSpec budget : budgets) {
      needs.add(budget.need(worstCaseNanoUsd, now));
    }
    for (LimitSpec rate : rates) {
      needs.add(rate.need(rate.unit() == LimitSpec.Unit.REQUESTS ? 1 : worstCaseTokens, now));
    }
    return needs;
  }

  /** What an attempt really used of each need. */
  public static long[] actual(List<Need> needs, Price price, Usage usage, boolean counted) {
    long[] actual = new long[needs.size()];
    for (int i = 0; i < actual.length; i++) {
      actual[i] = switch (needs.get(i).spec().unit()) {
        case NANO_USD -> price == null ? 0 : price.costNanos(usage);
        case REQUESTS -> counted ? 1 : 0;
        case TOKENS -> usage.inputTokens() + usage.cacheCreationTokens() + usage.outputTokens();
      };
    }
    return actual;
  }

  private void budgetsOf(String subject, List<LimitSpec> out) {
    for (LimitSpec spec : limitsBySubject.getOrDefault(subject, List.of())) {
      if (spec.isBudget()) {
        out.add(spec);
      }
    }
  }

  private void ratesOf(String subject, List<LimitSpec> out) {
    for (LimitSpec spec : limitsBySubject.getOrDefault(subject, List.of())) {
      if (!spec.isBudget()) {
        out.add(spec);
      }
    }
  }

  private static void budget(Map<String, List<LimitSpec>> limits, String subject, String label, BudgetSpec budget) {
    if (budget != null) {
      limits.computeIfAbsent(subject, s -> new ArrayList<>()).add(new LimitSpec(subject + "/budget/" + budget.reset().code(),
          label + " (" + budget.reset().code() + " budget)", LimitSpec.Unit.NANO_USD, budget.maxNanoUsd(), budget.reset(),
          budget.openOnPartition()));
    }
  }

  private static void rate(Map<String, List<LimitSpec>> limits, String subject, String label, RateLimitSpec rate) {
    if (rate == null) {
      return;
    }
    List<LimitSpec> list = limits.computeIfAbsent(subject, s -> new ArrayList<>());
    add(list, subject, label, "requests per minute", LimitSpec.Unit.REQUESTS, rate.requestsPerMinute(), Reset.MINUTE);
    add(list, subject, label, "tokens per minute", LimitSpec.Unit.TOKENS, rate.tokensPerMinute(), Reset.MINUTE);
    add(list, subject, label, "requests per day", LimitSpec.Unit.REQUESTS, rate.requestsPerDay(), Reset.DAY);
    add(list, subject, label, "tokens per day", LimitSpec.Unit.TOKENS, rate.tokensPerDay(), Reset.DAY);
  }

  private static void add(List<LimitSpec> list, String subject, String label, String what, LimitSpec.Unit unit,
                          long limit, Reset reset) {
    if (limit > 0) {
      String id = subject + "/" + (unit == LimitSpec.Unit.REQUESTS ? "requests" : "tokens") + "/" + reset.code();
      list.add(new LimitSpec(id, label + " (" + limit + " " + what + ")", unit, limit, reset, false));
    }
  }
}
