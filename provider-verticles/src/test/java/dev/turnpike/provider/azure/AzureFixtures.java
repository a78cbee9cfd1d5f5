package dev.turnpike.provider.azure;

import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.FixtureFiles;
import dev.turnpike.provider.openai.ChatCompletionsReplay;
import dev.turnpike.provider.openai.OpenAiStreamTranslator;
import dev.turnpike.provider.openai.ToolNameMapper;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/** The golden fixtures under {@code fixtures/azure} (see SOURCES.md there) and the requests the shapes are given. */
final class AzureFixtures {
  static final FixtureFiles FILES = new FixtureFiles("azure");
  /** Azure takes the OpenAI translator's requests, so their fixtures are checked against Azure's schema too. */
  static final FixtureFiles OPENAI_FILES = new FixtureFiles("openai");
  static final String CLIENT_MODEL = "claude-sonnet-4-5";
  static final long ESTIMATED_INPUT_TOKENS = 42;
  static final String DEPLOYMENT = "gpt5-prod";

  private AzureFixtures() {}

  /** An Azure SSE byte stream, cut where {@code cuts} say, through the parser and the shared stream translator. */
  static String translateStream(byte[] azureStream, int[] cuts) {
    return ChatCompletionsReplay.translate(azureStream, cuts,
        new OpenAiStreamTranslator(CLIENT_MODEL, new ToolNameMapper(), ESTIMATED_INPUT_TOKENS));
  }

  static ProviderConfig provider(String baseUrl, Map<String, String> deployments, String apiVersion) {
    return new ProviderConfig("azure", "azure", baseUrl, List.of(new ProviderConfig.ProviderKey("k", 1, List.of())),
        List.of(), null, null, null, null, deployments, apiVersion, List.of());
  }

  static InvokeRequest request(Operation operation, String model, String body, MultiMap clientHeaders,
                               String query) {
    return new InvokeRequest("req-1", "stream-1", operation, new Target("azure", "azure", model),
        new RequestParams("azure/" + model, true, 100, false, false, 0, false), Buffer.buffer(body), clientHeaders,
        query, Future.succeededFuture());
  }
}
