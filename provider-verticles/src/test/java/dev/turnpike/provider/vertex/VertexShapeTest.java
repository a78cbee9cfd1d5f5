package dev.turnpike.provider.vertex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Vertex form of an Anthropic request, as Anthropic's "Claude on Vertex AI" guide gives it. */
class VertexShapeTest {
  private static final ProviderConfig PROVIDER = ProviderConfig.fromJson("vertex", new JsonObject()
      .put("dialect", "vertex").put("region", "us-east5").put("project", "my-proj"));

  private static InvokeRequest request(Operation operation, String model, boolean stream, String body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("anthropic-version", "2023-06-01")
        .add("anthropic-beta", "claude-code-20250219").add("x-api-key", "sk-client").add("x-goog-api-key", "g");
    return new InvokeRequest("r1", "s1", operation, new Target("vertex", "vertex", model),
        new RequestParams("vertex/" + model, stream, 5, false, false, 0, false), Buffer.buffer(body), headers, null,
        Future.succeededFuture());
  }

  @Test
  void should_name_project_region_and_model_in_the_path_and_move_the_version_into_the_body() {
    UpstreamRequest call = new VertexShape().request(request(Operation.MESSAGES, "claude-sonnet-4-5@20250929", true,
        "{\"model\":\"vertex/claude-sonnet-4-5@20250929\",\"max_tokens\":5,\"stream\":true,\"messages\":[]}"),
        PROVIDER);

    assertEquals("https://us-east5-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-east5/publishers/"
        + "anthropic/models/claude-sonnet-4-5%4020250929:streamRawPredict", call.absoluteUri());
    assertEquals("{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":5,\"stream\":true,\"messages\":[]}",
        call.body().toString(StandardCharsets.UTF_8));
    assertEquals("claude-code-20250219", call.headers().get("anthropic-beta"));
    assertFalse(call.headers().contains("anthropic-version"), "Vertex takes it in the body");
    assertFalse(call.headers().contains("x-api-key"));
    assertFalse(call.headers().contains("x-goog-api-key"));
  }

  @Test
  void should_count_at_count_tokens_with_the_model_in_the_body() {
    UpstreamRequest call = new VertexShape().request(request(Operation.COUNT_TOKENS, "claude-haiku-4-5@20251001",
        false, "{\"model\":\"vertex/claude-haiku-4-5@20251001\",\"messages\":[]}"), PROVIDER);

    assertTrue(call.absoluteUri().endsWith("/publishers/anthropic/models/count-tokens:rawPredict"));
    assertEquals("{\"anthropic_version\":\"vertex-2023-10-16\",\"model\":\"claude-haiku-4-5@20251001\","
        + "\"messages\":[]}", call.body().toString(StandardCharsets.UTF_8));
  }

  @Test
  void should_tell_anthropic_error_bodies_from_google_ones() {
    VertexShape shape = new VertexShape();
    assertTrue(shape.errorBodiesAreAnthropic(null, Buffer.buffer(
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"x\"}}")));
    assertFalse(shape.errorBodiesAreAnthropic(null, Buffer.buffer(
        "{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}")));
    assertFalse(shape.errorBodiesAreAnthropic(null, Buffer.buffer("<html>")));
  }
}
