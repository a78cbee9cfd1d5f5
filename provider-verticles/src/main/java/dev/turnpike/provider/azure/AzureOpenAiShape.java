package dev.turnpike.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.auth.SigV4Signer;
import dev.turnpike.provider.openai.ChatCompletionsShape;
import io.vertx.core.buffer.Buffer;

/**
 * Azure OpenAI's Chat Completions: {@code POST {base_url}/openai/deployments/{deployment}/chat/completions
 * ?api-version={api_version}}. The deployment in the path chooses the model, so {@code model} leaves the body;
 * Azure refuses any argument its API version does not know ("Unrecognized request argument supplied"), and
 * {@value #DEFAULT_API_VERSION}, the latest dated GA version, takes no {@code file} content parts: a PDF document
 * becomes a short note in its place rather than failing the whole request.
 */
public final class AzureOpenAiShape implements ChatCompletionsShape {
  /** The latest generally available dated version of the data-plane inference API. */
  public static final String DEFAULT_API_VERSION = "2024-10-21";

  @Override
  public String uri(InvokeRequest request, ProviderConfig provider) {
    String deployment = provider.deploymentOf(request.target().model());
    String version = provider.apiVersion() == null ? DEFAULT_API_VERSION : provider.apiVersion();
    return provider.baseUrl() + "/openai/deployments/" + SigV4Signer.encodePathSegment(deployment)
        + "/chat/completions?api-version=" + SigV4Signer.encodePathSegment(version);
  }

  @Override
  public ObjectNode adapt(ObjectNode chatRequest, InvokeRequest request, ProviderConfig provider) {
    chatRequest.remove("model");
    for (JsonNode message : chatRequest.path("messages")) {
      for (JsonNode part : message.path("content")) {
        if (part instanceof ObjectNode object && "file".equals(object.path("type").asText())) {
          String name = object.path("file").path("filename").asText("document");
          object.removeAll();
          object.put("type", "text");
          object.put("text", "[document " + name + " left out: Azure OpenAI Chat Completions takes no files]");
        }
      }
    }
    return chatRequest;
  }

  @Override
  public Failure failure(InvokeRequest request, ProviderConfig provider, int status, Buffer body) {
    return AzureErrorMapper.toFailure(provider.name(), provider.deploymentOf(request.target().model()), status,
        body);
  }
}
