package dev.turnpike.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.anthropic.TopLevelFields;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.Headers;
import dev.turnpike.provider.UpstreamRequest;
import dev.turnpike.provider.anthropic.AnthropicFamilyShape;
import dev.turnpike.provider.auth.SigV4Signer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Dialect {@code vertex}: Anthropic models on Google Cloud Vertex AI. Project, region and model go into the URL
 * ({@code :streamRawPredict} or {@code :rawPredict}), {@code model} leaves the body (count-tokens keeps it, as
 * Vertex wants) and {@code anthropic_version} becomes Vertex's; the answer is Anthropic's own SSE or JSON.
 */
public final class VertexShape implements AnthropicFamilyShape {
  static final String ANTHROPIC_VERSION = "vertex-2023-10-16";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public UpstreamRequest request(InvokeRequest request, ProviderConfig provider) {
    String model = request.target().model();
    if (provider.project() == null || provider.region() == null) {
      throw new Failure.FailureException(Failure.of(FailureCode.UPSTREAM_AUTH,
          "Provider '" + provider.name() + "' needs project and region to reach Vertex AI"));
    }
    String models = provider.baseUrl() + "/v1/projects/" + SigV4Signer.encodePathSegment(provider.project())
        + "/locations/" + SigV4Signer.encodePathSegment(provider.region()) + "/publishers/anthropic/models/";
    MultiMap headers = Headers.forwardable(request.clientHeaders());
    headers.remove("anthropic-version"); // Vertex takes the version in the body
    headers.set("content-type", "application/json");
    Map<String, String> version = Map.of("anthropic_version", TopLevelFields.quoted(ANTHROPIC_VERSION));
    if (request.operation() == Operation.COUNT_TOKENS) {
      Buffer body = TopLevelFields.patch(request.body(), Map.of("anthropic_version",
          TopLevelFields.quoted(ANTHROPIC_VERSION), "model", TopLevelFields.quoted(model)), Set.of());
      return UpstreamRequest.post(models + "count-tokens:rawPredict", headers, body, model);
    }
    String method = request.params().stream() ? ":streamRawPredict" : ":rawPredict";
    Buffer body = TopLevelFields.patch(request.body(), version, Set.of("model"));
    return UpstreamRequest.post(models + SigV4Signer.encodePathSegment(model) + method, headers, body, model);
  }

  /**
   * Errors from the model are Anthropic's JSON; errors from Google's front end (quota, permissions, a wrong
   * project) are Google's {@code {"error": {"code", "message", "status"}}}, which an Anthropic client cannot read.
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
