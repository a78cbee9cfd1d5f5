package dev.turnpike.router.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequiredKeysTest {
  private static RequiredKeys keys(String expression) throws Exception {
    return RequiredKeys.of(RuleEnvironment.CEL.compile(expression).getAst().getExpr());
  }

  @Test
  void should_find_the_keys_read_directly_in_top_level_terms() throws Exception {
    assertEquals(List.of(new RequiredKeys.Key("headers", "x-tier"), new RequiredKeys.Key("body", "max_tokens")),
        keys("headers['x-tier'] == 'premium' && body.max_tokens > 1000 && model != ''").keys());
    assertEquals(List.of(new RequiredKeys.Key("body", "stream")), keys("body.stream").keys());
    assertEquals(List.of(new RequiredKeys.Key("params", "region")), keys("params['region'].startsWith('eu')").keys());
  }

  @ParameterizedTest
  @ValueSource(strings = {"'x-tier' in headers && headers['x-tier'] == 'premium'",
      "headers['x-tier'] == 'premium' || model == 'claude'", "!(headers['x-tier'] == 'premium')",
      "headers[?'x-tier'].orValue('') == 'premium'", "has(body.max_tokens)",
      "model == 'm' ? headers['x-tier'] == 'a' : true"})
  void should_require_nothing_where_an_absent_key_could_still_match(String expression) throws Exception {
    RequiredKeys required = keys(expression);
    boolean guarded = expression.startsWith("'x-tier' in");
    assertEquals(guarded ? List.of(new RequiredKeys.Key("headers", "x-tier")) : List.of(), required.keys(),
        expression);
  }

  /** The shortcut must give exactly what evaluation gives, for requests with and without the keys. */
  @ParameterizedTest
  @ValueSource(strings = {"headers['x-tier'] == 'premium'", "headers['x-tier'] != 'premium'",
      "headers['x-tier'] == 'premium' && body.max_tokens > 10", "'x-tier' in headers && headers['x-tier'] == 'premium'",
      "headers['x-tier'] == 'premium' || body.max_tokens > 10", "!(headers['x-tier'] == 'basic')",
      "params['region'] == 'eu' && team_id == 'platform'", "body.has_images"})
  void should_agree_with_evaluation_whether_the_keys_are_there_or_not(String expression) throws Exception {
    CelAbstractSyntaxTree ast = RuleEnvironment.CEL.compile(expression).getAst();
    CelRuntime.Program program = RuleEnvironment.CEL.createProgram(ast);
    RequiredKeys required = RequiredKeys.of(ast.getExpr());
    for (RuleInputs inputs : List.of(inputs(Map.of("x-tier", "premium"), Map.of("region", "eu"), true),
        inputs(Map.of("x-tier", "basic"), Map.of(), false), inputs(Map.of(), Map.of(), true),
        inputs(Map.of(), Map.of("region", "eu"), false))) {
      boolean evaluated;
      try {
        evaluated = Boolean.TRUE.equals(program.eval(inputs));
      } catch (CelEvaluationException e) {
        evaluated = false;
      }
      boolean shortcut = required.presentIn(inputs) && evaluated;
      assertEquals(evaluated, shortcut, expression + " on " + inputs.headers() + inputs.params() + inputs.body());
    }
  }

  private static RuleInputs inputs(Map<String, String> headers, Map<String, String> params, boolean withBody) {
    Map<String, Object> body = new HashMap<>();
    if (withBody) {
      body.put("max_tokens", 100L);
      body.put("has_images", true);
    }
    return new RuleInputs("m", "anthropic", "messages", headers, params, "", "", "platform", "platform", "", "", 0, 0,
        0, body, "", "", "");
  }
}
