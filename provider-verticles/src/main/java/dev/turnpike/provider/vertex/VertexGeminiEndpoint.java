package dev.turnpike.provider.vertex;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.auth.SigV4Signer;
import dev.turnpike.provider.gemini.GeminiEndpoint;
import java.util.List;

/**
 * Google's own Gemini models on Vertex AI: {@code POST {base}/v1/projects/{p}/locations/{r}/publishers/google/
 * models/{m}:generateContent}, {@code :streamGenerateContent?alt=sse} and {@code :countTokens}
 * ({@code google/cloud/aiplatform/v1/prediction_service.proto} and {@code llm_utility_service.proto}). Vertex's
 * {@code FunctionCall} and {@code FunctionResponse} have no {@code id}, and its {@code CountTokensRequest} takes
 * the contents, system instruction and tools directly (no tool config).
 */
public final class VertexGeminiEndpoint implements GeminiEndpoint {
  private static final List<String> COUNTED = List.of("contents", "systemInstruction", "tools");

  @Override
  public String generateUri(ProviderConfig provider, String model, boolean stream) {
    return models(provider, model) + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }

  @Override
  public String countTokensUri(ProviderConfig provider, String model) {
    return models(provider, model) + ":countTokens";
  }

  @Override
  public boolean sendsCallIds() {
    return false;
  }

  @Override
  public ObjectNode countTokensBody(ObjectNode generateContent, String model) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    for (String field : COUNTED) {
      if (generateContent.has(field)) {
        body.set(field, generateContent.get(field));
      }
    }
    return body;
  }

  private static String models(ProviderConfig provider, String model) {
    if (provider.project() == null || provider.region() == null) {
      throw new Failure.FailureException(Failure.of(FailureCode.UPSTREAM_AUTH,
          "Provider '" + provider.name() + "' needs project and region to reach Vertex AI"));
    }
    return provider.baseUrl() + "/v1/projects/" + SigV4Signer.encodePathSegment(provider.project())
        + "/locations/" + SigV4Signer.encodePathSegment(provider.region()) + "/publishers/google/models/"
        + SigV4Signer.encodePathSegment(model);
  }
}
