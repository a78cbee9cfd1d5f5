package dev.turnpike.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    BedrockCountTokensBody.Input input = BedrockCountTokensBody.read(captured.toBuffer());

    assertFalse(input.converse());
    Buffer invoke = input.body();
    assertEquals(Buffer.buffer(expected), invoke);
    CanonicalRequest canonical = CloudCanonicaliser.canonical(invoke, MultiMap.caseInsensitiveMultiMap(),
        "anthropic.claude-opus-5-5", Operation.COUNT_TOKENS, false);
    JsonObject body = new JsonObject(canonical.body());
    assertEquals("anthropic.claude-opus-5-5", body.getString("model"));
    assertTrue(body.getJsonArray("messages").size() > 0);
    assertEquals(null, body.getValue("anthropic_version"));
    assertFalse(body.containsKey("max_tokens"), "Anthropic's count_tokens takes no max_tokens");
    assertTrue(new JsonObject(invoke).containsKey("max_tokens"), "the capture's InvokeModel body has one");
  }

  @Test
  void should_take_a_converse_input_as_its_json() {
    String converse = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}],"
        + "\"system\":[{\"text\":\"be brief\"}]}";
    Buffer request = Buffer.buffer("{\"input\": {\"converse\": " + converse + "}}");

    BedrockCountTokensBody.Input input = BedrockCountTokensBody.read(request);

    assertTrue(input.converse());
    assertEquals(converse, input.body().toString());
  }

  @Test
  void should_skip_other_fields_around_the_body() {
    String encoded = Base64.getEncoder().encodeToString("{\"messages\":[]}".getBytes());
    Buffer request = Buffer.buffer("{\"modelId\":\"x\",\"input\":{\"other\":{\"body\":\"AA==\"},\"invokeModel\":"
        + "{\"extra\":[1,{\"body\":2}],\"body\":\"" + encoded + "\"}}}");

    assertEquals("{\"messages\":[]}", BedrockCountTokensBody.read(request).body().toString());
  }

  @Test
  void should_refuse_what_is_neither_input() {
    for (String request : new String[] {"", "[]", "{}", "{\"input\":{}}", "{\"input\":\"x\"}",
        "{\"input\":{\"invokeModel\":{}}}", "{\"input\":{\"invokeModel\":{\"body\":42}}}",
        "{\"input\":{\"invokeModel\":{\"body\":\"not base64!\"}}}",
        "{\"input\":{\"converse\":[]}}", "{\"input\":{\"converse\":{}}} {}",
        "{\"input\":{\"invokeModel\":{\"body\":\"e30=\""}) {
      Failure.FailureException refused = assertThrows(Failure.FailureException.class,
          () -> BedrockCountTokensBody.read(Buffer.buffer(request)), request);
      assertEquals(FailureCode.INVALID_REQUEST, refused.failure().code());
    }
  }
}
