package dev.turnpike.provider.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
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
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Bedrock form of an Anthropic request, as the Bedrock user guide's "Anthropic Claude Messages API" gives it. */
class BedrockShapeTest {
  private static final ProviderConfig PROVIDER = new ProviderConfig("bedrock", "bedrock",
      "https://bedrock-runtime.us-east-1.amazonaws.com", List.of(), List.of());
  private static final String BODY = "{\"model\":\"bedrock/x\",\"max_tokens\":5,\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"unknown_field\":{\"kept\":1.50}}";

  static InvokeRequest request(Operation operation, String model, boolean stream, String body, MultiMap headers) {
    return new InvokeRequest("r1", "s1", operation, new Target("bedrock", "bedrock", model),
        new RequestParams("bedrock/" + model, stream, 5, false, false, 0, false), Buffer.buffer(body), headers, null,
        Future.succeededFuture());
  }

  @Test
  void should_patch_the_body_and_put_the_encoded_model_id_in_the_path() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("anthropic-beta", "a-1, b-2").add("anthropic-beta", "a-1");

    UpstreamRequest call = new BedrockShape().request(request(Operation.MESSAGES,
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0", true, BODY, headers), PROVIDER);

    assertEquals("https://bedrock-runtime.us-east-1.amazonaws.com/model/"
        + "us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream", call.absoluteUri());
    assertEquals("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"a-1\",\"b-2\"],"
        + "\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"unknown_field\":{\"kept\":1.50}}",
        call.body().toString(StandardCharsets.UTF_8), "model and stream out, the rest byte for byte");
    assertEquals("application/vnd.amazon.eventstream", call.headers().get("accept"));
  }

  @Test
  void should_keep_a_hostile_model_id_inside_one_path_segment() {
    UpstreamRequest call = new BedrockShape().request(request(Operation.MESSAGES,
        "arn:aws:bedrock:us-east-1:1:inference-profile/../../x?y#z", false, BODY, MultiMap.caseInsensitiveMultiMap()),
        PROVIDER);

    assertEquals("https://bedrock-runtime.us-east-1.amazonaws.com/model/"
        + "arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2F..%2F..%2Fx%3Fy%23z/invoke", call.absoluteUri());
  }

  @Test
  void should_refuse_a_model_id_with_control_characters() {
    Failure.FailureException refused = assertThrows(Failure.FailureException.class, () -> new BedrockShape()
        .request(request(Operation.MESSAGES, "a\nb", false, BODY, MultiMap.caseInsensitiveMultiMap()), PROVIDER));
    assertEquals(FailureCode.INVALID_REQUEST, refused.failure().code());
  }

  @Test
  void should_wrap_count_tokens_as_count_tokens_input_with_max_tokens() {
    String count = "{\"model\":\"bedrock/x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    UpstreamRequest call = new BedrockShape().request(request(Operation.COUNT_TOKENS, "anthropic.claude-x", false,
        count, MultiMap.caseInsensitiveMultiMap()), PROVIDER);

    assertTrue(call.absoluteUri().endsWith("/model/anthropic.claude-x/count-tokens"));
    String blob = new JsonObject(call.body()).getJsonObject("input").getJsonObject("invokeModel").getString("body");
    JsonObject invoke = new JsonObject(new String(Base64.getDecoder().decode(blob), StandardCharsets.UTF_8));
    assertEquals("bedrock-2023-05-31", invoke.getString("anthropic_version"));
    assertEquals(1, invoke.getInteger("max_tokens"), "InvokeModel's body needs max_tokens");
    assertEquals(null, invoke.getValue("model"));
  }

  @Test
  void should_read_count_tokens_answers_and_refuse_other_bodies() {
    BedrockShape shape = new BedrockShape();
    assertEquals("{\"input_tokens\":42}", shape.countAnswer(Buffer.buffer("{\"inputTokens\":42}")).toString());
    assertEquals(null, shape.countAnswer(Buffer.buffer("{\"message\":\"no\"}")));
    assertEquals(null, shape.countAnswer(Buffer.buffer("not json")));
  }
}
