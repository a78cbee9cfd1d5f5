package dev.turnpike.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.config.GatewayConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FallbackTableTest {
  private static final GatewayConfig CONFIG = GatewayConfig.fromJson(new JsonObject("""
      {"providers": {
         "anthropic": {"dialect": "anthropic", "base_url": "http://127.0.0.1:1"},
         "openai":    {"dialect": "openai",    "base_url": "http://127.0.0.1:2"},
         "groq":      {"dialect": "openai",    "base_url": "http://127.0.0.1:3/openai"}}}"""));
  private static final ModelResolver RESOLVER = new ModelResolver(CONFIG);

  private static final Target OPUS = new Target("anthropic", "anthropic", "claude-opus-4-5");
  private static final Target SONNET = new Target("anthropic", "anthropic", "claude-sonnet-4-5");
  private static final Target GPT5 = new Target("openai", "openai", "gpt-5");
  private static final Target GPT4O = new Target("openai", "openai", "gpt-4o");
  private static final Target LLAMA = new Target("groq", "openai", "llama-3.3-70b-versatile");

  private static FallbackTable table(Map<String, List<String>> fallbacks) {
    return new FallbackTable(fallbacks, RESOLVER);
  }

  private static final FallbackTable LAYERED = table(Map.of(
      "anthropic/claude-opus-4-5", List.of("anthropic/claude-sonnet-4-5"),
      "anthropic/*", List.of("openai/gpt-5"),
      "*", List.of("groq/llama-3.3-70b-versatile")));

  @Test
  void should_use_the_exact_provider_model_entry_when_it_matches_besides_the_wider_ones() {
    assertEquals(List.of(OPUS, SONNET), LAYERED.withFallbacks(OPUS));
  }

  @Test
  void should_use_the_provider_wildcard_when_no_exact_entry_matches_the_model() {
    assertEquals(List.of(SONNET, GPT5), LAYERED.withFallbacks(SONNET));
  }

  @Test
  void should_use_the_star_entry_when_neither_the_model_nor_its_provider_has_an_entry() {
    assertEquals(List.of(GPT4O, LLAMA), LAYERED.withFallbacks(GPT4O));
  }

  @Test
  void should_return_the_primary_alone_when_no_entry_matches() {
    FallbackTable table = table(Map.of("anthropic/*", List.of("openai/gpt-5")));

    assertEquals(List.of(GPT4O), table.withFallbacks(GPT4O));
    assertEquals(List.of(LLAMA), table.withFallbacks(LLAMA));
  }

  @Test
  void should_not_match_an_exact_entry_when_only_the_model_name_is_the_same_on_another_provider() {
    FallbackTable table = table(Map.of("openai/gpt-5", List.of("anthropic/claude-sonnet-4-5")));
    Target gpt5OnGroq = new Target("groq", "openai", "gpt-5");

    assertEquals(List.of(gpt5OnGroq), table.withFallbacks(gpt5OnGroq));
  }

  @Test
  void should_return_the_primary_alone_when_the_most_specific_entry_lists_no_fallbacks() {
    FallbackTable table = table(Map.of(
        "anthropic/claude-opus-4-5", List.of(),
        "*", List.of("openai/gpt-5")));

    assertEquals(List.of(OPUS), table.withFallbacks(OPUS));
    assertEquals(List.of(SONNET, GPT5), table.withFallbacks(SONNET));
  }

  @Test
  void should_put_the_primary_first_and_drop_repeats_when_the_list_names_the_primary_or_a_target_twice() {
    FallbackTable table = table(Map.of("*", List.of(
        "openai/gpt-5", "anthropic/claude-sonnet-4-5", "openai/gpt-5", "groq/llama-3.3-70b-versatile")));

    assertEquals(List.of(SONNET, GPT5, LLAMA), table.withFallbacks(SONNET));
  }

  @Test
  void should_split_a_fallback_at_its_first_slash_when_its_model_name_contains_one() {
    FallbackTable table = table(Map.of("*", List.of("groq/meta-llama/llama-4")));

    assertEquals(List.of(GPT4O, new Target("groq", "openai", "meta-llama/llama-4")), table.withFallbacks(GPT4O));
  }

  @Test
  void should_match_an_exact_entry_when_the_model_name_itself_contains_a_slash() {
    FallbackTable table = table(Map.of(
        "groq/meta-llama/llama-4", List.of("openai/gpt-5"),
        "groq/*", List.of("anthropic/claude-sonnet-4-5")));
    Target llama4 = new Target("groq", "openai", "meta-llama/llama-4");

    assertEquals(List.of(llama4, GPT5), table.withFallbacks(llama4));
  }

  @Test
  void should_fail_not_found_when_built_with_a_fallback_that_names_no_configured_provider() {
    Failure.FailureException error = assertThrows(Failure.FailureException.class,
        () -> table(Map.of("*", List.of("gemini/gemini-2.5-pro"))));

    assertEquals(FailureCode.NOT_FOUND, error.failure().code());
  }
}
