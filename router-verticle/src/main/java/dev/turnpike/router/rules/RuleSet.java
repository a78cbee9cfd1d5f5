package dev.turnpike.router.rules;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * The compiled {@code routing_rules}. Scopes are tried from the most specific (virtual key, team, customer, then
 * global); inside a scope, rules in ascending priority (then config order); the first match wins and picks a
 * weighted target. A matching rule with {@code chain_rule} sends the request round again as its new
 * provider/model, until no rule matches or one would repeat. No match keeps the requested provider/model.
 */
public final class RuleSet {
  public static final RuleSet EMPTY = new RuleSet(List.of());

  private final Map<RoutingRule.Scope, List<RoutingRule>> byScope = new EnumMap<>(RoutingRule.Scope.class);
  private final List<RoutingRule> rules;
  private final boolean readsLimits;
  private final boolean readsInputTokens;

  /** What the rules decided for one request. */
  public record Outcome(String provider, String model, List<String> fallbacks, List<String> matched,
                        List<Evaluation> evaluations) {
    /** The matched rules' names ({@code a > b} when chained), or null when none matched. */
    public String matchedRule() {
      return matched.isEmpty() ? null : String.join(" > ", matched);
    }
  }

  /** One rule tried on the way, for the explain endpoint. */
  public record Evaluation(String rule, String scope, String asProviderModel, boolean matched) {}

  private RuleSet(List<RoutingRule> rules) {
    this.rules = List.copyOf(rules);
    for (RoutingRule.Scope scope : RoutingRule.Scope.values()) {
      byScope.put(scope, rules.stream().filter(r -> r.scope() == scope)
          .sorted(Comparator.comparingInt(RoutingRule::priority).thenComparingInt(RoutingRule::position)).toList());
    }
    this.readsLimits = rules.stream().anyMatch(RoutingRule::readsLimits);
    this.readsInputTokens = rules.stream().anyMatch(RoutingRule::readsInputTokens);
  }

  /** Compiles {@code routing_rules}; every problem goes to {@code problems} (then the set is incomplete). */
  public static RuleSet compile(JsonArray json, Set<String> providers, List<String> problems) {
    if (json == null || json.isEmpty()) {
      return EMPTY;
    }
    List<RoutingRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < json.size(); i++) {
      RoutingRule rule = RoutingRule.parse(json.getValue(i), i, providers, problems);
      if (rule != null) {
        if (!names.add(rule.name())) {
          problems.add("routing_rules[" + i + "]: the name '" + rule.name() + "' is taken by an earlier rule");
        }
        rules.add(rule);
      }
    }
    return new RuleSet(rules);
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  public List<RoutingRule> rules() {
    return rules;
  }

  /** Whether any rule reads {@code budget_used}, {@code tokens_used} or {@code request}. */
  public boolean readsLimits() {
    return readsLimits;
  }

  /** Whether any rule reads {@code body.input_tokens}. */
  public boolean readsInputTokens() {
    return readsInputTokens;
  }

  /** What the rules decide for one request. */
  public Outcome apply(RuleInputs inputs, DoubleSupplier random) {
    return apply(inputs, random, null);
  }

  /** The same, noting every rule tried (for the explain endpoint; the hot path does not pay for the notes). */
  public Outcome explain(RuleInputs inputs, DoubleSupplier random) {
    return apply(inputs, random, new ArrayList<>());
  }

  private Outcome apply(RuleInputs inputs, DoubleSupplier random, List<Evaluation> evaluations) {
    List<String> matched = new ArrayList<>(1);
    List<String> fallbacks = List.of();
    Set<String> seen = new HashSet<>();
    seen.add(inputs.provider() + "/" + inputs.model());
    RuleInputs current = inputs;
    while (true) {
      RoutingRule rule = firstMatch(current, evaluations);
      if (rule == null || matched.contains(rule.name())) {
        break;
      }
      WeightedTargets.Choice choice = rule.targets().pick(random);
      String provider = choice.provider() != null ? choice.provider() : current.provider();
      String model = choice.model() != null ? choice.model() : current.model();
      matched.add(rule.name());
      fallbacks = rule.fallbacks();
      current = current.retargeted(provider, model);
      if (!rule.chainRule() || !seen.add(provider + "/" + model)) {
        break;
      }
    }
    return new Outcome(current.provider(), current.model(), fallbacks, List.copyOf(matched),
        evaluations == null ? List.of() : List.copyOf(evaluations));
  }

  private RoutingRule firstMatch(RuleInputs inputs, List<Evaluation> evaluations) {
    for (RoutingRule.Scope scope : RoutingRule.Scope.values()) {
      String id = switch (scope) {
        case VIRTUAL_KEY -> inputs.virtualKeyId();
        case TEAM -> inputs.teamId();
        case CUSTOMER -> inputs.customerId();
        case GLOBAL -> null;
      };
      for (RoutingRule rule : byScope.get(scope)) {
        if (!rule.enabled() || (id != null && !rule.scopeId().equals(id))) {
          continue;
        }
        boolean matches = rule.matches(inputs);
        if (evaluations != null) {
          evaluations.add(new Evaluation(rule.name(), scope.name().toLowerCase(java.util.Locale.ROOT),
              inputs.provider() + "/" + inputs.model(), matches));
        }
        if (matches) {
          return rule;
        }
      }
    }
    return null;
  }
}
