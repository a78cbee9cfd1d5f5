package dev.turnpike.provider.gemini;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.auth.SigV4Signer;
import java.util.List;

/**
 * The Gemini API of Google AI Studio ({@code https://generativelanguage.googleapis.com}, dialect {@code gemini}):
 * {@code POST {base}/v1beta/models/{model}:generateContent}, {@code :streamGenerateContent?alt=sse} and
 * {@code :countTokens}, whose body wraps the whole request ({@code generateContentRequest}) so that the system
 * instruction and the tools are counted too. The key travels in {@code x-goog-api-key}, never in the URL (URLs
 * end up in logs).
 */
public final class AiStudioEndpoint implements GeminiEndpoint {
  private static final List<String> COUNTED = List.of("contents", "systemInstruction", "tools", "toolConfig");

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
    return true;
  }

  @Override
  public ObjectNode countTokensBody(ObjectNode generateContent, String model) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode request = body.putObject("generateContentRequest");
    request.put("model", "models/" + bareModel(model));
    for (String field : COUNTED) {
      if (generateContent.has(field)) {
        request.set(field, generateContent.get(field));
      }
    }
    return body;
  }

  private static String models(ProviderConfig provider, String model) {
    return provider.baseUrl() + "/v1beta/models/" + SigV4Signer.encodePathSegment(bareModel(model));
  }

  /** Google's own resource form {@code models/gemini-...} is accepted as a model name too. */
  private static String bareModel(String model) {
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
  }
}
