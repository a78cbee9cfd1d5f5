package dev.turnpike.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Admission;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import io.vertx.core.Promise;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.RouteDecision;
import dev.turnpike.contract.RouteRequest;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Names, aliases, rules and fallbacks together, as a request meets them. */
class RoutingTest {
  private static final String CONFIG = """
      {"providers": {
         "anthropic": {"dialect": "anthropic", "base_url": "http://127.0.0.1:1"},
         "openai":    {"dialect": "openai",    "base_url": "http://127.0.0.1:2"},
         "groq":      {"dialect": "openai",    "base_url": "http://127.0.0.1:3/openai"},
         "mistral":   {"dialect": "openai",    "base_url": "http://127.0.0.1:4"}},
       "aliases": {"claude-sonnet-4-5": "openai/gpt-5", "fast": "groq/llama-3.3-70b-versatile",
                   "legacy/name": "mistral/mistral-large-latest"},
       "fallbacks": {"openai/*": ["anthropic/claude-sonnet-4-5"]},
       "routing_rules": [
         {"name": "A/B", "cel_expression": "model == 'claude-opus-4-5'", "scope": "global", "priority": 1,
          "targets": [{"provider": "openai", "model": "gpt-4o", "weight": 0.7},
                      {"provider": "groq", "model": "llama-3.1-70b", "weight": 0.3}],
          "fallbacks": ["mistral/mistral-large-latest"]},
         {"name": "claims an unknown prefix", "cel_expression": "model == 'vendor/x'",
          "targets": [{"provider": "groq", "model": "x"}]},
         {"name": "long prompts", "cel_expression": "body.input_tokens > 5000",
          "targets": [{"provider": "anthropic", "model": "claude-long"}]}]}""";

  private static Routing routing(String json, java.util.function.DoubleSupplier random) {
    List<String> problems = new ArrayList<>();
    Routing routing = Routing.compile(new JsonObject(json), random, problems);
    assertEquals(List.of(), problems);
    return routing;
  }

  private static RouteRequest request(String model, String body) {
    return new RouteRequest("tp-test", Operation.MESSAGES, new RequestParams(model, true, 32000, true, true, 12, false),
        Map.of("x-claude-code-session-id", "s-1"), Map.of(), body == null ? null : Buffer.buffer(body),
        new Admission("vk-1", "vk-1", "platform", "acme"), Promise.promise());
  }

  private static List<String> targets(RouteDecision decision) {
    return decision.targets().stream().map(Target::qualifiedModel).toList();
  }

  @Test
  void should_resolve_claude_codes_tier_overrides_and_model_switches_through_the_same_path() {
    Routing routing = routing(CONFIG, () -> 0.1);

    // ANTHROPIC_DEFAULT_SONNET_MODEL=openai/gpt-5, ANTHROPIC_DEFAULT_HAIKU_MODEL=groq/llama-3.3-70b-versatile
    assertEquals("openai/gpt-5", targets(routing.decide(request("openai/gpt-5", null), null)).get(0));
    assertEquals("groq/llama-3.3-70b-versatile",
        targets(routing.decide(request("groq/llama-3.3-70b-versatile", null), null)).get(0));
    // /model mistral/mistral-large-latest
    assertEquals(List.of("mistral/mistral-large-latest"),
        targets(routing.decide(request("mistral/mistral-large-latest", null), null)));
  }

  @Test
  void should_map_any_name_through_aliases_before_anything_else() {
    Routing routing = routing(CONFIG, () -> 0.1);

    RouteDecision sonnet = routing.decide(request("claude-sonnet-4-5", null), null);
    assertEquals(List.of("openai/gpt-5", "anthropic/claude-sonnet-4-5"), targets(sonnet), "alias, then fallbacks");
    assertNull(sonnet.matchedRule());
    assertEquals("groq/llama-3.3-70b-versatile", targets(routing.decide(request("fast", null), null)).get(0));
    assertEquals("mistral/mistral-large-latest", targets(routing.decide(request("legacy/name", null), null)).get(0),
        "an alias may claim a name whose prefix is no provider");
  }

  @Test
  void should_refuse_a_name_with_an_unknown_provider_prefix_that_nothing_claims_with_404() {
    Routing routing = routing(CONFIG, () -> 0.1);

    Failure failure = assertThrows(Failure.FailureException.class,
        () -> routing.decide(request("nosuch/x", null), null)).failure();

    assertEquals(FailureCode.NOT_FOUND, failure.code());
    assertTrue(failure.message().contains("nosuch/x") && failure.message().contains("[anthropic, openai, groq, mistral]"),
        failure.message());
    assertEquals("groq/x", targets(routing.decide(request("vendor/x", null), null)).get(0), "a rule may claim one");
  }

  @Test
  void should_try_the_rules_fallbacks_before_the_configs() {
    Routing routing = routing(CONFIG, () -> 0.1);

    RouteDecision decision = routing.decide(request("claude-opus-4-5", null), null);

    assertEquals(List.of("openai/gpt-4o", "mistral/mistral-large-latest", "anthropic/claude-sonnet-4-5"),
        targets(decision));
    assertEquals("A/B", decision.matchedRule());
  }

  @Test
  void should_split_the_ab_rule_70_30_over_10000_requests() {
    Random seeded = new Random(7);
    Routing routing = routing(CONFIG, seeded::nextDouble);
    int openai = 0;
    for (int i = 0; i < 10_000; i++) {
      if (routing.decide(request("claude-opus-4-5", null), null).targets().get(0).provider().equals("openai")) {
        openai++;
      }
    }
    assertEquals(7000, openai, 200, "within 2 points (over six standard deviations)");
  }

  @Test
  void should_estimate_input_tokens_from_the_body_only_for_a_rule_that_reads_them() {
    Routing routing = routing(CONFIG, () -> 0.1);
    String longPrompt = "{\"model\":\"anthropic/claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + "word ".repeat(6000) + "\"}]}";

    assertEquals("anthropic/claude-long", targets(routing.decide(request("anthropic/claude-x", longPrompt), null))
        .get(0));
    assertEquals("anthropic/claude-x", targets(routing.decide(request("anthropic/claude-x", "{\"messages\":[]}"),
        null)).get(0));
  }

  @Test
  void should_pass_governances_limits_to_rules_that_read_them() {
    Routing routing = routing("""
        {"providers": {"anthropic": {"dialect": "anthropic", "base_url": "http://127.0.0.1:1"},
                       "groq": {"dialect": "openai", "base_url": "http://127.0.0.1:3"}},
         "routing_rules": [{"name": "Budget Overflow Route", "cel_expression": "budget_used > 85",
           "targets": [{"provider": "groq", "model": "llama-3.3-70b-versatile", "weight": 1}],
           "scope": "global", "priority": 5}]}""", () -> 0.1);

    assertTrue(routing.needsLimits());
    assertEquals("anthropic/claude-x", targets(routing.decide(request("claude-x", null), Usage.Limits.NONE)).get(0));
    assertEquals("groq/llama-3.3-70b-versatile",
        targets(routing.decide(request("claude-x", null), new Usage.Limits(90, 0, 0))).get(0));
  }

  @Test
  void should_refuse_aliases_to_nowhere_and_sections_of_the_wrong_shape() {
    List<String> problems = new ArrayList<>();
    Routing.compile(new JsonObject("""
        {"providers": {"openai": {"dialect": "openai", "base_url": "http://127.0.0.1:2"}},
         "aliases": {"x": "nosuch/model", "y": 5}, "routing_rules": {"not": "a list"}}"""), () -> 0, problems);

    assertEquals(3, problems.size(), problems.toString());
  }
}
