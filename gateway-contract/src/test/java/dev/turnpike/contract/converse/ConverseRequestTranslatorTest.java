package dev.turnpike.contract.converse;

import static dev.turnpike.contract.converse.ConverseFixtures.resource;
import static dev.turnpike.contract.converse.ConverseFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.anthropic.AnthropicBody;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConverseRequestTranslatorTest {
  private static final String MODEL = "claude-sonnet-4-5";
  private static final String HELLO = "\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}]";

  @Test
  void translatesTextImageToolsSystemCachePointsAndInferenceConfig() {
    ConverseRequestTranslator.AnthropicRequest request =
        ConverseRequestTranslator.translate(resource("tool-use.converse-request.json"), MODEL, false);
    assertEquals(tree(resource("tool-use.anthropic-request.json")), tree(request.body()));
    assertEquals(List.of(), request.betas());
  }

  @Test
  void translatesReasoningHistoryDocumentsAndAdditionalFieldsTakingTheBetasOut() {
    ConverseRequestTranslator.AnthropicRequest request =
        ConverseRequestTranslator.translate(resource("thinking-document.converse-request.json"), MODEL, true);
    assertEquals(tree(resource("thinking-document.anthropic-request.json")), tree(request.body()));
    assertEquals(List.of("interleaved-thinking-2025-05-14"), request.betas());
  }

  @Test
  void theResultIsWhatTheEdgeScansWithTheModelFirst() {
    Buffer body = ConverseRequestTranslator.toAnthropic(resource("tool-use.converse-request.json"), MODEL, true);
    assertTrue(body.toString().startsWith("{\"model\":\"claude-sonnet-4-5\""), body.toString());
    AnthropicBody.Summary summary = AnthropicBody.scan(body);
    RequestParams params = summary.params();
    assertEquals(MODEL, params.model());
    assertTrue(params.stream());
    assertEquals(1000, params.maxTokens());
    assertEquals(1, params.toolCount());
    assertTrue(params.hasImages());
    assertTrue(summary.hasMessages());
  }

  @Test
  void maxTokensDefaultsWhenNeitherConverseNorTheAdditionalFieldsSetIt() {
    assertEquals(ConverseRequestTranslator.DEFAULT_MAX_TOKENS, maxTokens("{" + HELLO + "}"));
    assertEquals(300, maxTokens("{" + HELLO + ",\"additionalModelRequestFields\":{\"max_tokens\":300}}"));
    assertEquals(20, maxTokens("{" + HELLO + ",\"inferenceConfig\":{\"maxTokens\":20}}"));
  }

  @Test
  void toolChoicesAutoAndAnyAndAnEmptySystemIsLeftOut() {
    JsonNode auto = translate("{" + HELLO + ",\"system\":[],\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"t\","
        + "\"inputSchema\":{\"json\":{\"type\":\"object\"}},\"strict\":true}}],\"toolChoice\":{\"auto\":{}}}}");
    assertEquals(tree("{\"type\":\"auto\"}"), auto.get("tool_choice"));
    assertEquals(tree("[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"},\"strict\":true}]"), auto.get("tools"));
    assertFalse(auto.has("system"));
    JsonNode any = translate("{" + HELLO + ",\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"t\","
        + "\"inputSchema\":{\"json\":{}}}}],\"toolChoice\":{\"any\":{}}}}");
    assertEquals(tree("{\"type\":\"any\"}"), any.get("tool_choice"));
  }

  @Test
  void outputConfigCarriesEffortAndTheJsonSchemaAsAnObject() {
    JsonNode request = translate("{" + HELLO + ",\"outputConfig\":{\"effort\":\"low\",\"textFormat\":{"
        + "\"type\":\"json_schema\",\"structure\":{\"jsonSchema\":{\"name\":\"answer\","
        + "\"schema\":\"{\\\"type\\\":\\\"object\\\",\\\"properties\\\":{\\\"a\\\":{\\\"type\\\":\\\"string\\\"}}}\"}}}}}");
    assertEquals(tree("{\"effort\":\"low\",\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\","
        + "\"properties\":{\"a\":{\"type\":\"string\"}}}}}"), request.get("output_config"));
  }

  @Test
  void aRedactedContentBlobIsDecodedToAnthropicsString() {
    JsonNode request = translate("{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"reasoningContent\":"
        + "{\"redactedContent\":\"b3BhcXVl\"}}]}]}");
    assertEquals(tree("{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}"),
        request.at("/messages/0/content/0"));
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"text\":\"b\"}]},{\"role\":\"user\",\"content\":[{\"foo\":{}}]}]}",
            "messages[2].content[0]: unknown block 'foo'"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\",\"image\":{}}]}]}",
            "messages[0].content[0]: a block has exactly one member, found 'text' and 'image'"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{}]}]}", "messages[0].content[0]: empty block"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"video\":{}}]}]}",
            "messages[0].content[0]: unsupported block 'video'"),
        Arguments.of("{\"messages\":[{\"role\":\"system\",\"content\":[]}]}",
            "messages[0].role: must be 'user' or 'assistant'"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "messages[0].content: must be an array"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":7}]}]}",
            "messages[0].content[0].text: must be a string"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"image\":{\"format\":\"bmp\","
            + "\"source\":{\"bytes\":\"AA==\"}}}]}]}", "messages[0].content[0].image.format: must be one of png, jpeg, gif, webp"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"image\":{\"format\":\"png\","
                + "\"source\":{\"s3Location\":{\"uri\":\"s3://b/k\"}}}}]}]}",
            "messages[0].content[0].image.source: s3Location is not supported: send the image bytes"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"document\":{\"format\":\"docx\",\"name\":\"d\","
                + "\"source\":{\"bytes\":\"AA==\"}}}]}]}",
            "messages[0].content[0].document.format: 'docx' is not supported: send pdf, txt, md, csv or html"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"document\":{\"format\":\"txt\",\"name\":\"d\","
            + "\"source\":{\"bytes\":\"//79\"}}}]}]}", "messages[0].content[0].document.source.bytes: not UTF-8 text"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"cachePoint\":{\"type\":\"default\"}}]}]}",
            "messages[0].content[0].cachePoint: a cachePoint must follow a block in the same list"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"},{\"cachePoint\":{\"type\":\"x\"}}]}]}",
            "messages[0].content[1].cachePoint.type: must be 'default'"),
        Arguments.of("{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":\"t\","
            + "\"name\":\"n\",\"input\":[1]}}]}]}", "messages[0].content[0].toolUse.input: must be an object"),
        Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"t\","
                + "\"content\":[],\"status\":\"failed\"}}]}]}",
            "messages[0].content[0].toolResult.status: must be 'success' or 'error'"),
        Arguments.of("{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"reasoningContent\":"
            + "{\"redactedContent\":\"not base64!\"}}]}]}",
            "messages[0].content[0].reasoningContent.redactedContent: not valid base64"),
        Arguments.of("{}", "messages: required"),
        Arguments.of("{" + HELLO + ",\"modelId\":\"x\"}", "unknown field 'modelId'"),
        Arguments.of("{" + HELLO + ",\"guardrailConfig\":{\"guardrailIdentifier\":\"g\",\"guardrailVersion\":\"1\"}}",
            "guardrailConfig: guardrails are not supported: the gateway cannot apply them"),
        Arguments.of("{" + HELLO + ",\"inferenceConfig\":{\"maxTokens\":0}}",
            "inferenceConfig.maxTokens: must be a positive integer"),
        Arguments.of("{" + HELLO + ",\"inferenceConfig\":{\"maxTokens\":10},"
                + "\"additionalModelRequestFields\":{\"max_tokens\":20}}",
            "additionalModelRequestFields.max_tokens: conflicts with inferenceConfig.maxTokens"),
        Arguments.of("{" + HELLO + ",\"inferenceConfig\":{\"topK\":10}}", "inferenceConfig: unknown field 'topK'"),
        Arguments.of("{" + HELLO + ",\"additionalModelRequestFields\":{\"messages\":[]}}",
            "additionalModelRequestFields: field 'messages' conflicts with a field the Converse request already sets"),
        Arguments.of("{" + HELLO + ",\"toolConfig\":{\"tools\":[{\"systemTool\":{\"name\":\"nova_grounding\"}}]}}",
            "toolConfig.tools[0]: systemTool is not supported"),
        Arguments.of("{" + HELLO + ",\"toolConfig\":{\"tools\":[],\"toolChoice\":{\"none\":{}}}}",
            "toolConfig.toolChoice: unknown tool choice 'none'"),
        Arguments.of("{" + HELLO + "," + HELLO + "}", "Request body has a field twice (line 1, column 70)"),
        Arguments.of("{\"messages\":[", "Request body is not valid JSON (line 1, column 14)"),
        Arguments.of("[]", "Request body must be a JSON object"));
  }

  @ParameterizedTest
  @MethodSource("invalidRequests")
  void refusesWhatItCannotTranslateNamingTheField(String body, String message) {
    ConverseException e = assertThrows(ConverseException.class, () -> translate(body));
    assertEquals(message, e.getMessage());
    assertEquals(FailureCode.INVALID_REQUEST, e.code());
    assertEquals(message, e.failure().message());
  }

  @Test
  void messagesNeverQuoteTheBodyAndCutLongFieldNames() {
    String secret = "sk-ant-api03-secretsecret";
    ConverseException notJson = assertThrows(ConverseException.class,
        () -> translate("{\"messages\": " + secret + "}"));
    assertFalse(notJson.getMessage().contains(secret), notJson.getMessage());
    ConverseException longName = assertThrows(ConverseException.class,
        () -> translate("{\"" + "x".repeat(10_000) + "\":1}"));
    assertTrue(longName.getMessage().length() < 100, longName.getMessage());
  }

  private static JsonNode translate(String converse) {
    return tree(ConverseRequestTranslator.toAnthropic(Buffer.buffer(converse), MODEL, false));
  }

  private static long maxTokens(String converse) {
    return translate(converse).get("max_tokens").asLong();
  }
}
