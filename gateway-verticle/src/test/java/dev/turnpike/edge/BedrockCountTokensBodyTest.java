package dev.turnpike.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BedrockCountTokensBodyTest {

  @Test
  void should_unwrap_the_invoke_body_of_claude_codes_count_tokens_call() throws Exception {
    JsonObject captured = ClaudeCodeCaptures.request("cc2.1.332-bedrock_count_tokens_req.json").getJsonObject("body");
    byte[] expected = Base64.getDecoder().decode(captured.getJsonObject("input").getJsonObject("invokeModel")
        .getString("body"));

    Buffer invoke = BedrockCountTokensBody.invokeBody(captured.toBuffer());

    assertEquals(Buffer.buffer(expected), invoke);
    CanonicalRequest canonical = CloudCanonicaliser.canonical(invoke, MultiMap.caseInsensitiveMultiMap(),
        "anthropic.claude-opus-5-5", Operation.COUNT_TOKENS, false);
    JsonObject body = new JsonObject(canonical.body());
    assertEquals("anthropic.claude-opus-5-5", body.getString("model"));
    assertTrue(body.getJsonArray("messages").size() > 0);
    assertEquals(null, body.getValue("anthropic_version"));
  }

  @Test
  void should_skip_other_fields_around_the_body() {
    String encoded = Base64.getEncoder().encodeToString("{\"messages\":[]}".getBytes());
    Buffer request = Buffer.buffer("{\"modelId\":\"x\",\"input\":{\"other\":{\"body\":\"AA==\"},\"invokeModel\":"
        + "{\"extra\":[1,{\"body\":2}],\"body\":\"" + encoded + "\"}}}");

    assertEquals("{\"messages\":[]}", BedrockCountTokensBody.invokeBody(request).toString());
  }

  @Test
  void should_refuse_what_is_not_an_invoke_model_input() {
    for (String request : new String[] {"", "[]", "{}", "{\"input\":{}}", "{\"input\":\"x\"}",
        "{\"input\":{\"invokeModel\":{}}}", "{\"input\":{\"invokeModel\":{\"body\":42}}}",
        "{\"input\":{\"invokeModel\":{\"body\":\"not base64!\"}}}",
        "{\"input\":{\"converse\":{\"messages\":[]}}}", "{\"input\":{\"invokeModel\":{\"body\":\"e30=\""}) {
      Failure.FailureException refused = assertThrows(Failure.FailureException.class,
          () -> BedrockCountTokensBody.invokeBody(Buffer.buffer(request)), request);
      assertEquals(FailureCode.INVALID_REQUEST, refused.failure().code());
    }
  }
}
