package dev.turnpike.provider.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Operation;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.UpstreamRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FoundryAnthropicShapeTest {
  private static final ProviderConfig PROVIDER = AzureFixtures.provider("https://res.services.ai.azure.com",
      Map.of("claude-sonnet-4-5", "team-sonnet"), null);
  private static final String BODY = "{\"model\":\"azure/claude-sonnet-4-5\",\"max_tokens\":64, \"stream\":true,"
      + "\"context_management\":{\"edits\":[]},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private final FoundryAnthropicShape shape = new FoundryAnthropicShape();

  private static MultiMap clientHeaders() {
    return MultiMap.caseInsensitiveMultiMap().add("x-api-key", "sk-client").add("authorization", "Bearer sk-client")
        .add("anthropic-beta", "claude-code-20250219").add("anthropic-version", "2023-06-01")
        .add("x-forwarded-for", "10.0.0.1");
  }

  @Test
  void should_post_to_the_resource_anthropic_endpoint_with_the_deployment_as_model() {
    UpstreamRequest call = shape.request(AzureFixtures.request(Operation.MESSAGES, "claude-sonnet-4-5", BODY,
        clientHeaders(), "beta=true"), PROVIDER);

    assertEquals("https://res.services.ai.azure.com/anthropic/v1/messages?beta=true", call.absoluteUri());
    assertEquals(BODY.replace("azure/claude-sonnet-4-5", "team-sonnet"), call.body().toString());
    assertEquals("claude-sonnet-4-5", call.model(), "keys are scoped by the model, not the deployment");
    assertEquals("claude-code-20250219", call.headers().get("anthropic-beta"));
    assertEquals("2023-06-01", call.headers().get("anthropic-version"));
    assertNull(call.headers().get("x-api-key"), "the client's key stays here");
    assertNull(call.headers().get("authorization"));
    assertNull(call.headers().get("x-forwarded-for"));
  }

  @Test
  void should_count_tokens_at_the_count_endpoint_and_add_the_version_a_client_left_out() {
    UpstreamRequest call = shape.request(AzureFixtures.request(Operation.COUNT_TOKENS, "claude-haiku-4-5",
        "{\"model\":\"claude-haiku-4-5\",\"messages\":[]}", MultiMap.caseInsensitiveMultiMap(), null), PROVIDER);

    assertEquals("https://res.services.ai.azure.com/anthropic/v1/messages/count_tokens", call.absoluteUri());
    assertEquals("2023-06-01", call.headers().get("anthropic-version"));
    assertEquals("{\"model\":\"claude-haiku-4-5\",\"messages\":[]}", call.body().toString());
  }

  @Test
  void should_tell_anthropic_error_json_from_azure_front_end_errors() {
    assertTrue(shape.errorBodiesAreAnthropic(null, Buffer.buffer(
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
    assertFalse(shape.errorBodiesAreAnthropic(null, Buffer.buffer(
        "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key\"}}")));
    assertFalse(shape.errorBodiesAreAnthropic(null, Buffer.buffer("<html>502</html>")));
  }

  @Test
  void should_send_claude_models_to_foundry_and_others_to_azure_openai() {
    assertTrue(AzureAdapter.isClaude("claude-sonnet-4-5"));
    assertTrue(AzureAdapter.isClaude("Claude-Opus-4-1"));
    assertFalse(AzureAdapter.isClaude("gpt-5"));
    assertFalse(AzureAdapter.isClaude("my-claude-like-model"));
    assertFalse(AzureAdapter.isClaude(null));
  }
}
