package dev.turnpike.provider.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BedrockApiTest {
  private static final String PROFILE_ARN =
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6";

  @ParameterizedTest
  @CsvSource({
      "anthropic.claude-sonnet-4-5-20250929-v1:0, INVOKE_MODEL",
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0, INVOKE_MODEL",
      "global.anthropic.claude-haiku-4-5-20251001-v1:0, INVOKE_MODEL",
      "US-GOV.Anthropic.Claude-3-Haiku-20240307-v1:0, INVOKE_MODEL",
      "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0, INVOKE_MODEL",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0, INVOKE_MODEL",
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6, INVOKE_MODEL",
      "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdefghijkl, INVOKE_MODEL",
      "meta.llama3-3-70b-instruct-v1:0, CONVERSE",
      "us.meta.llama4-maverick-17b-instruct-v1:0, CONVERSE",
      "amazon.nova-pro-v1:0, CONVERSE",
      "eu.amazon.nova-lite-v1:0, CONVERSE",
      "mistral.mistral-large-2407-v1:0, CONVERSE",
      "deepseek.r1-v1:0, CONVERSE",
      "arn:aws:bedrock:us-west-2::foundation-model/meta.llama3-1-405b-instruct-v1:0, CONVERSE",
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-premier-v1:0, CONVERSE",
      "my.anthropic-lookalike-model, CONVERSE"
  })
  void should_pick_the_api_by_the_vendor_the_model_id_names(String model, BedrockApi expected) {
    assertEquals(expected, BedrockApi.forModel(model, List.of()));
  }

  @Test
  void should_use_converse_for_a_model_the_provider_lists_whatever_its_id_says() {
    assertEquals(BedrockApi.CONVERSE, BedrockApi.forModel(PROFILE_ARN, List.of(PROFILE_ARN)));
    assertEquals(BedrockApi.CONVERSE, BedrockApi.forModel("anthropic.claude-3-haiku-20240307-v1:0",
        List.of("anthropic.claude-3-haiku-20240307-v1:0")));
    assertEquals(BedrockApi.INVOKE_MODEL, BedrockApi.forModel(PROFILE_ARN, List.of("another-model")));
  }

  @Test
  void should_grant_the_optional_converse_features_by_vendor() {
    assertEquals(new ConverseFeatures(true, true, true, true, true),
        ConverseFeatures.of("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    assertEquals(new ConverseFeatures(true, false, true, true, false), ConverseFeatures.of("us.amazon.nova-pro-v1:0"));
    assertEquals(ConverseFeatures.NONE, ConverseFeatures.of("us.meta.llama3-3-70b-instruct-v1:0"));
    assertEquals(ConverseFeatures.NONE, ConverseFeatures.of(PROFILE_ARN), "an opaque profile gets none");
  }
}
