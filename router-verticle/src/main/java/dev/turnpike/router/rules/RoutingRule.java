package dev.turnpike.router.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationResult;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One routing rule in Bifrost's format: {@code name}, {@code cel_expression}, {@code targets}
 * ({@code provider}, {@code model}, {@code weight}; an omitted provider or model keeps the incoming one),
 * {@code fallbacks}, {@code scope} with {@code scope_id}, {@code priority} (ascending), {@code enabled} and
 * {@code chain_rule}. Compiled once, when the config loads.
 */
public record RoutingRule(String name, String expression, CelRuntime.Program program, RequiredKeys requiredKeys,
                          WeightedTargets targets, List<String> fallbacks, Scope scope, String scopeId, int priority,
                          boolean enabled, boolean chainRule, int position) {

  /** Where a rule applies, from the most specific. */
  public enum Scope { VIRTUAL_KEY, TEAM, CUSTOMER, GLOBAL }

  private static final Set<String> KEYS = Set.of("name", "cel_expression", "targets", "fallbacks", "scope",
      "scope_id", "priority", "enabled", "chain_rule", "description", "id", "query");

  /** Whether the rule matches; an evaluation error (an absent map key, say) is a non-match. */
  public boolean matches(RuleInputs inputs) {
    if (!requiredKeys.presentIn(inputs)) {
      return false; // the same answer evaluation would give, without the exception it would throw
    }
    try {
      return Boolean.TRUE.equals(program.eval(inputs));
    } catch (CelEvaluationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Parses and compiles the rule at {@code position} of {@code routing_rules}; every problem (naming the rule and
   * quoting CEL) goes to {@code problems}, and then null is returned.
   */
  static RoutingRule parse(Object entry, int position, Set<String> providers, List<String> problems) {
    String where = "routing_rules[" + position + "]";
    if (!(entry instanceof JsonObject json)) {
      problems.add(where + " must be an object");
      return null;
    }
    String name = json.getValue("name") instanceof String n && !n.isBlank() ? n : null;
    String label = name == null ? where : where + " '" + name + "'";
    int before = problems.size();
    if (name == null) {
      problems.add(where + ": name is required");
    }
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        problems.add(label + ": '" + key + "' is not a rule field (fields: " + KEYS.stream().sorted().toList() + ")");
      }
    }
    String expression = json.getValue("cel_expression") instanceof String e && !e.isBlank() ? e : null;
    CelRuntime.Program program = null;
    RequiredKeys required = new RequiredKeys(List.of());
    if (expression == null) {
      problems.add(label + ": cel_expression is required (\"true\" matches every request)");
    } else {
      CelAbstractSyntaxTree ast = compile(expression, label, problems);
      if (ast != null) {
        program = program(ast, label, problems);
        required = RequiredKeys.of(ast.getExpr());
      }
    }
    WeightedTargets targets = WeightedTargets.parse(json.getValue("targets"), label, providers, problems);
    List<String> fallbacks = new ArrayList<>();
    if (json.getValue("fallbacks") instanceof JsonArray list) {
      for (Object fallback : list) {
        String qualified = String.valueOf(fallback);
        int slash = qualified.indexOf('/');
        if (slash <= 0 || !providers.contains(qualified.substring(0, slash))) {
          problems.add(label + ": fallback '" + qualified + "' does not start with a configured provider");
        }
        fallbacks.add(qualified);
      }
    } else if (json.containsKey("fallbacks")) {
      problems.add(label + ": fallbacks must be a list of provider/model names");
    }
    Scope scope = Scope.GLOBAL;
    Object scopeValue = json.getValue("scope", "global");
    try {
      scope = Scope.valueOf(String.valueOf(scopeValue).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(label + ": scope '" + scopeValue + "' is not one of virtual_key, team, customer, global");
    }
    String scopeId = json.getValue("scope_id") instanceof String s ? s : null;
    if (scope != Scope.GLOBAL && (scopeId == null || scopeId.isBlank())) {
      problems.add(label + ": scope " + scope.name().toLowerCase(Locale.ROOT) + " needs a scope_id");
    }
    int priority = json.getValue("priority", 0) instanceof Number p ? p.intValue() : Integer.MIN_VALUE;
    if (priority == Integer.MIN_VALUE) {
      problems.add(label + ": priority must be a number");
    }
    boolean enabled = !Boolean.FALSE.equals(json.getValue("enabled"));
    boolean chain = Boolean.TRUE.equals(json.getValue("chain_rule"));
    if (problems.size() > before) {
      return null;
    }
    return new RoutingRule(name, expression, program, required, targets, List.copyOf(fallbacks), scope, scopeId,
        priority, enabled, chain, position);
  }

  private static CelAbstractSyntaxTree compile(String expression, String label, List<String> problems) {
    CelValidationResult result = RuleEnvironment.CEL.compile(expression);
    if (result.hasError()) {
      problems.add(label + ": cel_expression does not compile: " + result.getErrorString());
      return null;
    }
    try {
      return result.getAst();
    } catch (Exception e) {
      problems.add(label + ": cel_expression does not compile: " + e.getMessage());
      return null;
    }
  }

  private static CelRuntime.Program program(CelAbstractSyntaxTree ast, String label, List<String> problems) {
    try {
      CelRuntime.Program program = RuleEnvironment.CEL.createProgram(ast);
      Object sample = evaluateSample(program);
      if (sample != null && !(sample instanceof Boolean)) {
        problems.add(label + ": cel_expression must be true or false, not " + sample);
      }
      return program;
    } catch (Exception e) {
      problems.add(label + ": cel_expression cannot run: " + e.getMessage());
      return null;
    }
  }

  /** Runs the rule once on a sample request; a missing map key there is normal, not a problem. */
  private static Object evaluateSample(CelRuntime.Program program) {
    try {
      return program.eval(RuleInputs.sample());
    } catch (CelEvaluationException e) {
      return null;
    }
  }

  private static final java.util.regex.Pattern LIMITS =
      java.util.regex.Pattern.compile("\\b(budget_used|tokens_used|request)\\b");
  private static final java.util.regex.Pattern INPUT_TOKENS = java.util.regex.Pattern.compile("\\binput_tokens\\b");

  /** Whether the expression reads a variable only governance knows (asked for only then). */
  public boolean readsLimits() {
    return LIMITS.matcher(expression).find();
  }

  /** Whether the expression reads the input-token estimate (computed only then: it reads the whole body). */
  public boolean readsInputTokens() {
    return INPUT_TOKENS.matcher(expression).find();
  }
}
