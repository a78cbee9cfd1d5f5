package dev.turnpike.router.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleSetTest {
  private static final Set<String> PROVIDERS = Set.of("anthropic", "openai", "groq", "mistral");

  /** A request as Claude Code sends it through a virtual key of team platform, customer acme. */
  static RuleInputs claudeCode(String provider, String model) {
    Map<String, Object> body = new HashMap<>();
    body.put("max_tokens", 32000L);
    body.put("stream", true);
    body.put("has_tools", true);
    body.put("tool_count", 12L);
    body.put("thinking", true);
    body.put("has_images", false);
    body.put("input_tokens", 21000L);
    return new RuleInputs(model, provider, "messages",
        Map.of("x-claude-code-session-id", "sess-1", "anthropic-beta", "claude-code-20250219", "x-tier", "premium"),
        Map.of("beta", "true"), "vk-alice", "vk-alice", "platform", "platform", "acme", "acme", 40, 10, 5, body,
        "sess-1", "agent-1", "main");
  }

  private static RuleSet compile(String rulesJson) {
    List<String> problems = new ArrayList<>();
    RuleSet rules = RuleSet.compile(new JsonArray(rulesJson), PROVIDERS, problems);
    assertEquals(List.of(), problems);
    return rules;
  }

  private static List<String> problems(String rulesJson) {
    List<String> problems = new ArrayList<>();
    RuleSet.compile(new JsonArray(rulesJson), PROVIDERS, problems);
    return problems;
  }

  private static String rule(String name, String expression, String provider, String model, String extra) {
    JsonObject rule = new JsonObject().put("name", name).put("cel_expression", expression)
        .put("targets", new JsonArray().add(new JsonObject().put("provider", provider).put("model", model)));
    if (extra != null) {
      rule.mergeIn(new JsonObject(extra));
    }
    return rule.encode();
  }

  @Test
  void should_route_the_user_storys_budget_overflow_rule_only_past_85_percent() {
    RuleSet rules = compile("[" + rule("Budget Overflow Route", "budget_used > 85", "groq",
        "llama-3.3-70b-versatile", "{\"scope\":\"global\",\"priority\":5}") + "]");

    RuleSet.Outcome under = rules.apply(claudeCode("anthropic", "claude-sonnet-4-5").withLimits(85, 0, 0), () -> 0.5);
    RuleSet.Outcome over = rules.apply(claudeCode("anthropic", "claude-sonnet-4-5").withLimits(85.5, 0, 0),
        () -> 0.5);

    assertEquals("anthropic/claude-sonnet-4-5", under.provider() + "/" + under.model());
    assertNull(under.matchedRule());
    assertEquals("groq/llama-3.3-70b-versatile", over.provider() + "/" + over.model());
    assertEquals("Budget Overflow Route", over.matchedRule());
  }

  @Test
  void should_try_scopes_from_the_virtual_key_to_global_whatever_their_priority() {
    RuleSet rules = compile("[" + rule("global-first", "true", "openai", "gpt-global", "{\"priority\":-100}") + ","
        + rule("customer", "true", "openai", "gpt-customer", "{\"scope\":\"customer\",\"scope_id\":\"acme\"}") + ","
        + rule("team", "true", "openai", "gpt-team", "{\"scope\":\"team\",\"scope_id\":\"platform\"}") + ","
        + rule("other-key", "true", "openai", "gpt-other", "{\"scope\":\"virtual_key\",\"scope_id\":\"vk-bob\"}") + ","
        + rule("key", "true", "openai", "gpt-key", "{\"scope\":\"virtual_key\",\"scope_id\":\"vk-alice\"}") + "]");

    assertEquals("key", rules.apply(claudeCode("anthropic", "m"), () -> 0).matchedRule());
    RuleInputs noKey = new RuleInputs("m", "anthropic", "messages", Map.of(), Map.of(), "", "", "platform",
        "platform", "acme", "acme", 0, 0, 0, Map.of(), "", "", "");
    assertEquals("team", rules.apply(noKey, () -> 0).matchedRule());
    RuleInputs customerOnly = new RuleInputs("m", "anthropic", "messages", Map.of(), Map.of(), "", "", "", "",
        "acme", "acme", 0, 0, 0, Map.of(), "", "", "");
    assertEquals("customer", rules.apply(customerOnly, () -> 0).matchedRule());
    RuleInputs anonymous = new RuleInputs("m", "anthropic", "messages", Map.of(), Map.of(), "", "", "", "", "", "",
        0, 0, 0, Map.of(), "", "", "");
    assertEquals("global-first", rules.apply(anonymous, () -> 0).matchedRule());
  }

  @Test
  void should_take_the_first_match_in_ascending_priority_then_config_order() {
    RuleSet rules = compile("[" + rule("ten", "true", "openai", "ten", "{\"priority\":10}") + ","
        + rule("zero-b", "true", "openai", "zero-b", "{\"priority\":0}") + ","
        + rule("never", "false", "openai", "never", "{\"priority\":-5}") + ","
        + rule("zero-a-disabled", "true", "openai", "x", "{\"priority\":0,\"enabled\":false}") + "]");

    RuleSet.Outcome outcome = rules.explain(claudeCode("anthropic", "m"), () -> 0);

    assertEquals("zero-b", outcome.matchedRule());
    assertEquals(List.of("never", "zero-b"), outcome.evaluations().stream().map(RuleSet.Evaluation::rule).toList(),
        "disabled rules are skipped, later ones never tried");
  }

  @Test
  void should_keep_the_requested_provider_and_model_when_no_rule_matches() {
    RuleSet rules = compile("[" + rule("premium", "headers[\"x-tier\"] == \"gold\"", "openai", "gpt-5", null) + "]");

    RuleSet.Outcome outcome = rules.apply(claudeCode("anthropic", "claude-opus-4-5"), () -> 0);

    assertEquals("anthropic", outcome.provider());
    assertEquals("claude-opus-4-5", outcome.model());
    assertTrue(outcome.matched().isEmpty());
  }

  @Test
  void should_keep_the_incoming_provider_or_model_when_a_target_omits_it() {
    RuleSet rules = compile("[{\"name\":\"model only\",\"cel_expression\":\"true\",\"targets\":[{\"model\":\"claude-haiku-4-5\"}]},"
        + "{\"name\":\"unused\",\"cel_expression\":\"true\",\"targets\":[{\"provider\":\"openai\"}]}]");

    RuleSet.Outcome outcome = rules.apply(claudeCode("anthropic", "claude-opus-4-5"), () -> 0);

    assertEquals("anthropic/claude-haiku-4-5", outcome.provider() + "/" + outcome.model());
  }

  @Test
  void should_evaluate_again_as_the_new_target_when_a_rule_chains_and_stop_at_a_repeat() {
    RuleSet rules = compile("[" + rule("to-openai", "provider == \"anthropic\"", "openai", "gpt-5",
            "{\"chain_rule\":true,\"priority\":1}") + ","
        + rule("openai-to-groq", "provider == \"openai\" && model == \"gpt-5\"", "groq", "llama",
            "{\"chain_rule\":true,\"priority\":2}") + ","
        + rule("groq-back", "provider == \"groq\"", "anthropic", "claude-x", "{\"chain_rule\":true,\"priority\":3}")
        + "]");

    RuleSet.Outcome outcome = rules.apply(claudeCode("anthropic", "claude-sonnet-4-5"), () -> 0);

    assertEquals(List.of("to-openai", "openai-to-groq", "groq-back"), outcome.matched());
    assertEquals("to-openai > openai-to-groq > groq-back", outcome.matchedRule());
    assertEquals("anthropic/claude-x", outcome.provider() + "/" + outcome.model(), "stops when a rule repeats");
  }

  @Test
  void should_not_chain_when_the_matching_rule_does_not_ask_to() {
    RuleSet rules = compile("[" + rule("a", "provider == \"anthropic\"", "openai", "gpt-5", "{\"priority\":1}") + ","
        + rule("b", "provider == \"openai\"", "groq", "llama", "{\"priority\":2}") + "]");

    assertEquals(List.of("a"), rules.apply(claudeCode("anthropic", "m"), () -> 0).matched());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "model                 | model == 'claude-sonnet-4-5'",
      "model prefix          | model.startsWith('claude-')",
      "provider              | provider == 'anthropic'",
      "request_type          | request_type == 'messages'",
      "header                | headers['x-tier'] == 'premium'",
      "header presence       | 'x-claude-code-session-id' in headers",
      "params                | params['beta'] == 'true'",
      "virtual_key_id        | virtual_key_id == 'vk-alice'",
      "virtual_key_name      | virtual_key_name == 'vk-alice'",
      "team_id               | team_id == 'platform'",
      "team_name             | team_name == 'platform'",
      "customer_id           | customer_id == 'acme'",
      "customer_name         | customer_name == 'acme'",
      "budget_used           | budget_used > 39.5 && budget_used < 40.5",
      "tokens_used           | tokens_used >= 10",
      "request               | request == 5.0",
      "body.max_tokens       | body.max_tokens > 16000",
      "body.stream           | body.stream",
      "body.has_tools        | body.has_tools && body.tool_count == 12",
      "body.thinking         | body['thinking'] == true",
      "body.has_images       | !body.has_images",
      "body.input_tokens     | body.input_tokens > 20000",
      "session_id            | session_id == 'sess-1'",
      "agent_id              | agent_id != ''",
      "request_class         | request_class == 'main'",
      "optional map access   | headers[?'x-missing'].orValue('none') == 'none'",
      "exists macro          | ['premium', 'gold'].exists(t, t == headers['x-tier'])"})
  void should_match_on_every_variable(String variable, String expression) {
    RuleSet rules = compile("[" + rule(variable, expression, "openai", "gpt-5", null) + "]");

    assertEquals(variable, rules.apply(claudeCode("anthropic", "claude-sonnet-4-5"), () -> 0).matchedRule(),
        expression);
  }

  @Test
  void should_treat_an_absent_header_as_a_non_match_not_an_error() {
    RuleSet rules = compile("[" + rule("needs header", "headers['x-team'] == 'ml'", "openai", "gpt-5", null) + ","
        + rule("fallthrough", "true", "groq", "llama", "{\"priority\":1}") + "]");

    assertEquals("fallthrough", rules.apply(claudeCode("anthropic", "m"), () -> 0).matchedRule());
  }

  @Test
  void should_refuse_a_rule_that_does_not_compile_naming_it_and_quoting_cel() {
    List<String> problems = problems("[" + rule("broken", "model ==", "openai", "gpt-5", null) + "]");

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("'broken'") && problems.get(0).contains("does not compile"), problems.get(0));
    assertTrue(problems.get(0).contains("ERROR"), "quotes CEL's own message: " + problems.get(0));
  }

  @Test
  void should_refuse_an_unknown_variable_and_a_non_boolean_expression() {
    List<String> unknown = problems("[" + rule("typo", "budget_usd > 85", "openai", "gpt-5", null) + "]");
    List<String> notBoolean = problems("[" + rule("number", "budget_used + 1.0", "openai", "gpt-5", null) + "]");

    assertTrue(unknown.get(0).contains("'typo'") && unknown.get(0).contains("budget_usd"), unknown.toString());
    assertEquals(1, notBoolean.size(), notBoolean.toString());
    assertTrue(notBoolean.get(0).contains("'number'"), notBoolean.toString());
  }

  @Test
  void should_refuse_a_rule_without_a_usable_target() {
    assertTrue(problems("[{\"name\":\"zero\",\"cel_expression\":\"true\",\"targets\":[{\"provider\":\"openai\","
        + "\"model\":\"gpt-5\",\"weight\":0}]}]").get(0).contains("no usable target"));
    assertTrue(problems("[{\"name\":\"none\",\"cel_expression\":\"true\"}]").get(0).contains("targets"));
    assertTrue(problems("[" + rule("ghost", "true", "nosuch", "x", null) + "]").get(0)
        .contains("provider 'nosuch', which is not configured"));
  }

  @Test
  void should_refuse_a_scoped_rule_without_scope_id_an_unknown_scope_and_duplicate_names() {
    assertTrue(problems("[" + rule("team rule", "true", "openai", "x", "{\"scope\":\"team\"}") + "]").get(0)
        .contains("needs a scope_id"));
    assertTrue(problems("[" + rule("odd", "true", "openai", "x", "{\"scope\":\"planet\"}") + "]").get(0)
        .contains("scope 'planet'"));
    assertTrue(problems("[" + rule("twice", "true", "openai", "x", null) + "," + rule("twice", "true", "openai", "y",
        null) + "]").get(0).contains("taken"));
  }

  @Test
  void should_say_which_variables_a_rule_set_reads() {
    assertTrue(compile("[" + rule("b", "budget_used > 85", "openai", "x", null) + "]").readsLimits());
    assertTrue(compile("[" + rule("r", "request > 90.0", "openai", "x", null) + "]").readsLimits());
    RuleSet plain = compile("[" + rule("t", "request_type == 'messages' && request_class == 'x'", "openai", "x",
        null) + "]");
    assertFalse(plain.readsLimits(), "request_type is not request");
    assertFalse(plain.readsInputTokens());
    assertTrue(compile("[" + rule("i", "body.input_tokens > 100000", "openai", "x", null) + "]").readsInputTokens());
  }
}
