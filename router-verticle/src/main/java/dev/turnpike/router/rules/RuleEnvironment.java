package dev.turnpike.router.rules;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelOptionalLibrary;
import dev.cel.parser.CelStandardMacro;
import java.util.List;

/**
 * The CEL environment routing rules compile in. Variable names are Bifrost's, so a team's rules load unchanged;
 * numbers are doubles and compare with integer literals ({@code budget_used > 85}); map lookups of an absent key
 * fail evaluation, which a rule treats as a non-match ({@code m[?"k"]} and {@code "k" in m} avoid it).
 */
public final class RuleEnvironment {
  /** Every variable a rule may name, in the order the README lists them. */
  public static final List<String> VARIABLES = List.of("model", "provider", "request_type", "headers", "params",
      "virtual_key_id", "virtual_key_name", "team_id", "team_name", "customer_id", "customer_name", "budget_used",
      "tokens_used", "request", "body", "session_id", "agent_id", "request_class");

  /** Variables whose value governance knows; asked for only when a rule names one. */
  static final List<String> LIMIT_VARIABLES = List.of("budget_used", "tokens_used", "request");

  static final Cel CEL = CelFactory.standardCelBuilder()
      .setOptions(CelOptions.current().enableHeterogeneousNumericComparisons(true).enableOptionalSyntax(true)
          .build())
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addCompilerLibraries(CelOptionalLibrary.INSTANCE)
      .addRuntimeLibraries(CelOptionalLibrary.INSTANCE)
      .addVar("model", SimpleType.STRING)
      .addVar("provider", SimpleType.STRING)
      .addVar("request_type", SimpleType.STRING)
      .addVar("headers", MapType.create(SimpleType.STRING, SimpleType.STRING))
      .addVar("params", MapType.create(SimpleType.STRING, SimpleType.STRING))
      .addVar("virtual_key_id", SimpleType.STRING)
      .addVar("virtual_key_name", SimpleType.STRING)
      .addVar("team_id", SimpleType.STRING)
      .addVar("team_name", SimpleType.STRING)
      .addVar("customer_id", SimpleType.STRING)
      .addVar("customer_name", SimpleType.STRING)
      .addVar("budget_used", SimpleType.DOUBLE)
      .addVar("tokens_used", SimpleType.DOUBLE)
      .addVar("request", SimpleType.DOUBLE)
      .addVar("body", MapType.create(SimpleType.STRING, SimpleType.DYN))
      .addVar("session_id", SimpleType.STRING)
      .addVar("agent_id", SimpleType.STRING)
      .addVar("request_class", SimpleType.STRING)
      .setResultType(SimpleType.BOOL)
      .build();

  private RuleEnvironment() {}
}
