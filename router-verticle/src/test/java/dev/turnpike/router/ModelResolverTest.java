package dev.turnpike.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.config.GatewayConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelResolverTest {
  private static final GatewayConfig CONFIG = GatewayConfig.fromJson(new JsonObject("""
      {"providers": {
         "anthropic": {"dialect": "anthropic", "base_url": "http://127.0.0.1:1"},
         "openai":    {"dialect": "openai",    "base_url": "http://127.0.0.1:2"},
         "groq":      {"dialect": "openai",    "base_url": "http://127.0.0.1:3/openai"}},
       "fallbacks": {"anthropic/*": ["openai/gpt-5", "groq/llama-3.3-70b-versatile"],
                     "openai/gpt-5": ["anthropic/claude-sonnet-4-5"]}}"""));
  private final ModelResolver resolver = new ModelResolver(CONFIG);

  @Test
  void should_split_at_first_slash_when_prefix_is_a_configured_provider() {
    assertEquals(new Target("groq", "openai", "meta-llama/llama-4"), resolver.resolve("groq/meta-llama/llama-4"));
    assertEquals(new Target("openai", "openai", "gpt-5"), resolver.resolve("openai/gpt-5"));
  }

  @Test
  void should_refuse_with_not_found_listing_the_providers_when_the_prefix_names_none() {
    Failure.FailureException error = assertThrows(Failure.FailureException.class,
        () -> resolver.resolve("nosuch/x"));
    assertEquals(FailureCode.NOT_FOUND, error.failure().code());
    assertTrue(error.failure().message().contains("[anthropic, openai, groq]"), error.failure().message());
    assertEquals(new ModelResolver.Requested("", "meta-llama/llama-4"), resolver.parse("meta-llama/llama-4"),
        "left for an alias or a rule to claim");
  }

  @Test
  void should_send_bare_names_to_their_family_provider() {
    assertEquals(new Target("anthropic", "anthropic", "claude-sonnet-4-5-20250929"),
        resolver.resolve("claude-sonnet-4-5-20250929"));
    assertEquals(new Target("openai", "openai", "gpt-4o"), resolver.resolve("gpt-4o"));
    assertEquals(new Target("openai", "openai", "o3-mini"), resolver.resolve("o3-mini"));
  }

  @Test
  void should_fail_with_not_found_when_family_provider_is_not_configured() {
    Failure.FailureException error = assertThrows(Failure.FailureException.class,
        () -> resolver.resolve("gemini-2.5-pro"));
    assertEquals(FailureCode.NOT_FOUND, error.failure().code());
  }

  @Test
  void should_fail_with_invalid_request_when_model_is_blank() {
    assertEquals(FailureCode.INVALID_REQUEST,
        assertThrows(Failure.FailureException.class, () -> resolver.resolve(" ")).failure().code());
  }

  @Test
  void should_append_fallbacks_of_the_most_specific_pattern_in_order() {
    FallbackTable table = new FallbackTable(CONFIG.fallbacks(), resolver);

    assertEquals(List.of(new Target("anthropic", "anthropic", "claude-opus-4-5"),
            new Target("openai", "openai", "gpt-5"), new Target("groq", "openai", "llama-3.3-70b-versatile")),
        table.withFallbacks(resolver.resolve("claude-opus-4-5")));
    assertEquals(List.of(new Target("openai", "openai", "gpt-5"),
            new Target("anthropic", "anthropic", "claude-sonnet-4-5")),
        table.withFallbacks(resolver.resolve("openai/gpt-5")));
    assertEquals(List.of(new Target("openai", "openai", "gpt-4o")),
        table.withFallbacks(resolver.resolve("openai/gpt-4o")));
  }

  @Test
  void should_not_repeat_the_primary_among_its_fallbacks() {
    FallbackTable table = new FallbackTable(CONFIG.fallbacks(), resolver);

    List<Target> targets = table.withFallbacks(resolver.resolve("anthropic/gpt-5"));
    assertEquals(3, targets.size());
    assertEquals(List.of(new Target("anthropic", "anthropic", "gpt-5"), new Target("openai", "openai", "gpt-5"),
        new Target("groq", "openai", "llama-3.3-70b-versatile")), targets);
  }

  @Test
  void should_send_bedrock_model_ids_and_arns_to_the_bedrock_provider_and_vertex_ids_to_vertex() {
    GatewayConfig clouds = GatewayConfig.fromJson(new JsonObject("""
        {"providers": {
           "anthropic": {"dialect": "anthropic", "base_url": "http://127.0.0.1:1"},
           "bedrock":   {"dialect": "bedrock",   "base_url": "http://127.0.0.1:2"},
           "vertex":    {"dialect": "vertex",    "base_url": "http://127.0.0.1:3"}}}"""));
    ModelResolver cloudResolver = new ModelResolver(clouds);
    String arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    assertEquals(new Target("bedrock", "bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        cloudResolver.resolve("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    assertEquals(new Target("bedrock", "bedrock", "anthropic.claude-haiku-4-5-20251001-v1:0"),
        cloudResolver.resolve("anthropic.claude-haiku-4-5-20251001-v1:0"));
    assertEquals(new Target("bedrock", "bedrock", arn), cloudResolver.resolve(arn), "the ARN's / names no provider");
    assertEquals(new Target("vertex", "vertex", "claude-sonnet-4-5@20250929"),
        cloudResolver.resolve("claude-sonnet-4-5@20250929"));
    assertEquals(new Target("anthropic", "anthropic", "claude-sonnet-4-5"), cloudResolver.resolve("claude-sonnet-4-5"));
    assertEquals(new ModelResolver.Requested("", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        resolver.parse("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), "no bedrock provider: left for an alias");
    assertEquals(new ModelResolver.Requested("anthropic", "claude-sonnet-4-5@20250929"),
        resolver.parse("claude-sonnet-4-5@20250929"), "no vertex provider: Anthropic's family");
  }
}
