package dev.turnpike.provider.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.turnpike.contract.Operation;
import dev.turnpike.contract.config.ProviderConfig;
import io.vertx.core.MultiMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureOpenAiShapeTest {
  private static String uri(ProviderConfig provider, String model) {
    return new AzureOpenAiShape().uri(AzureFixtures.request(Operation.MESSAGES, model, "{}",
        MultiMap.caseInsensitiveMultiMap(), "beta=true"), provider);
  }

  @Test
  void should_call_the_model_name_as_deployment_with_the_ga_version_when_nothing_is_configured() {
    ProviderConfig provider = AzureFixtures.provider("https://res.openai.azure.com/", Map.of(), null);

    assertEquals("https://res.openai.azure.com/openai/deployments/gpt-5/chat/completions?api-version=2024-10-21",
        uri(provider, "gpt-5"));
  }

  @Test
  void should_call_the_configured_deployment_and_api_version() {
    ProviderConfig provider = AzureFixtures.provider("https://res.services.ai.azure.com",
        Map.of("gpt-5", "my-gpt5-deploy"), "2025-04-01-preview");

    assertEquals("https://res.services.ai.azure.com/openai/deployments/my-gpt5-deploy/chat/completions"
        + "?api-version=2025-04-01-preview", uri(provider, "gpt-5"));
    assertEquals("https://res.services.ai.azure.com/openai/deployments/gpt-4o/chat/completions"
        + "?api-version=2025-04-01-preview", uri(provider, "gpt-4o"), "unmapped models keep their name");
  }

  @Test
  void should_percent_encode_a_deployment_that_is_not_a_plain_path_segment() {
    ProviderConfig provider = AzureFixtures.provider("https://res.openai.azure.com",
        Map.of("odd", "a b/c?d"), "2024-10-21");

    assertEquals("https://res.openai.azure.com/openai/deployments/a%20b%2Fc%3Fd/chat/completions"
        + "?api-version=2024-10-21", uri(provider, "odd"));
  }
}
