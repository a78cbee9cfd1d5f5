package dev.turnpike.contract.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BedrockSurfaceConfigTest {

  @Test
  void should_list_the_bedrock_ids_of_the_aliases_and_of_bedrock_providers_by_default() {
    JsonObject config = new JsonObject("""
        {"aliases": {"us.anthropic.claude-sonnet-4-5-20250929-v1:0": "anthropic/claude-sonnet-4-5",
                     "fast": "openai/gpt-5-mini", "claude-sonnet-4-5@20250929": "vertex/claude-sonnet-4-5@20250929",
                     "global.anthropic.claude-haiku-4-5-20251001-v1:0": "openai/gpt-5-mini"},
         "providers": {"bedrock": {"dialect": "bedrock", "models": ["eu.anthropic.claude-opus-4-1-20250805-v1:0",
                                                                    "us.anthropic.claude-sonnet-4-5-20250929-v1:0"]},
                       "other": {"dialect": "anthropic", "models": ["anthropic.claude-not-on-bedrock"]}}}""");
    List<String> problems = new ArrayList<>();

    BedrockSurfaceConfig bedrock = BedrockSurfaceConfig.fromJson(config, problems);

    assertEquals(List.of(), problems);
    assertEquals("us-east-1", bedrock.region());
    assertEquals(List.of("eu.anthropic.claude-opus-4-1-20250805-v1:0", "global.anthropic.claude-haiku-4-5-20251001-v1:0",
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0"), bedrock.inferenceProfiles());
  }

  @Test
  void should_list_exactly_the_configured_profiles_in_their_order() {
    JsonObject config = new JsonObject("""
        {"aliases": {"us.anthropic.claude-sonnet-4-5-20250929-v1:0": "anthropic/claude-sonnet-4-5"},
         "bedrock": {"region": "eu-west-1", "inference_profiles": ["eu.anthropic.b-v1:0", "eu.anthropic.a-v1:0"]}}""");
    List<String> problems = new ArrayList<>();

    BedrockSurfaceConfig bedrock = BedrockSurfaceConfig.fromJson(config, problems);

    assertEquals(List.of(), problems);
    assertEquals("eu-west-1", bedrock.region());
    assertEquals(List.of("eu.anthropic.b-v1:0", "eu.anthropic.a-v1:0"), bedrock.inferenceProfiles());
  }

  @Test
  void should_name_each_bad_setting() {
    List<String> problems = new ArrayList<>();

    BedrockSurfaceConfig.fromJson(new JsonObject("""
        {"bedrock": {"region": "US East", "inference_profiles": "us.anthropic.x", "extra": 1}}"""), problems);

    assertEquals(3, problems.size(), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("bedrock.extra is not a known setting")), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("bedrock.region")), problems::toString);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("bedrock.inference_profiles must be a list")),
        problems::toString);
  }
}
