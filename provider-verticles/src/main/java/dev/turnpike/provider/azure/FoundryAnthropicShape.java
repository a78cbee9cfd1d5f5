package dev.turnpike.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.anthropic.AnthropicBody;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.Headers;
import dev.turnpike.provider.UpstreamRequest;
import dev.turnpike.provider.anthropic.AnthropicFamilyShape;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;

/**
 * Claude in Microsoft Foundry: Anthropic's Messages API at {@code {base_url}/anthropic/v1/messages} (and
 * {@code /count_tokens}) of a Foundry resource, with the resource's key. The body passes as the client sent it
 * except {@code model}, which names the Foundry deployment; the {@code anthropic-*} headers and the query pass too.
 * The answer is Anthropic's own SSE or JSON.
 */
public final class FoundryAnthropicShape implements AnthropicFamilyShape {
  static final String ANTHROPIC_VERSION = "2023-06-01";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public UpstreamRequest request(InvokeRequest request, ProviderConfig provider) {
    String path = request.operation() == Operation.COUNT_TOKENS
        ? "/anthropic/v1/messages/count_tokens" : "/anthropic/v1/messages";
    MultiMap headers = Headers.forwardable(request.clientHeaders());
    headers.set("content-type", "application/json");
    if (!headers.contains("anthropic-version")) {
      headers.set("anthropic-version", ANTHROPIC_VERSION);
    }
    String query = request.query() == null ? "" : "?" + request.query();
    String model = request.target().model();
    return UpstreamRequest.post(provider.baseUrl() + path + query, headers,
        AnthropicBody.replaceModel(request.body(), provider.deploymentOf(model)), model);
  }

  /**
   * Errors from the model are Anthropic's JSON; errors from Azure's front end (a wrong key, a missing deployment,
   * throttling) are Azure's {@code {"error": {"code", "message"}}}, which an Anthropic client cannot read.
   */
  @Override
  public boolean errorBodiesAreAnthropic(HttpClientResponse response, Buffer body) {
    try {
      JsonNode root = JSON.readTree(body.getBytes());
      return root != null && "error".equals(root.path("type").asText()) && root.path("error").isObject();
    } catch (IOException e) {
      return false;
    }
  }
}
