package dev.turnpike.contract.openai;

import static dev.turnpike.contract.openai.OpenAiFixtures.resource;
import static dev.turnpike.contract.openai.OpenAiFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatCompletionsRequestTranslatorTest {
  private static final String SECRET_TEXT = "do-not-echo-this-content";

  private static JsonNode translated(JsonObject request) {
    return tree(ChatCompletionsRequestTranslator.translate(request.toBuffer()).body());
  }

  private static JsonObject request(Object... messages) {
    JsonArray list = new JsonArray();
    for (Object message : messages) {
      list.add(message);
    }
    return new JsonObject().put("model", "anthropic/claude-sonnet-4-5").put("messages", list);
  }

  private static JsonObject user(Object content) {
    return new JsonObject().put("role", "user").put("content", content);
  }

  private static ChatCompletionsException refused(JsonObject request) {
    return assertThrows(ChatCompletionsException.class,
        () -> ChatCompletionsRequestTranslator.translate(request.toBuffer()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "image-input", "functions", "tool-round-trip"})
  void translatesThePublishedExamplesToTheExpectedAnthropicRequest(String name) {
    ChatCompletionsRequestTranslator.AnthropicRequest translated =
        ChatCompletionsRequestTranslator.translate(resource(name + ".chat-request.json"));
    assertEquals(tree(resource(name + ".anthropic-request.json")), tree(translated.body()));
  }

  @Test
  void theAnswerOptionsFollowTheRequest() {
    ChatAnswerOptions streamed = ChatCompletionsRequestTranslator.translate(
        resource("tool-round-trip.chat-request.json")).answer();
    assertEquals(new ChatAnswerOptions(true, true, false), streamed);
    ChatAnswerOptions whole = ChatCompletionsRequestTranslator.translate(resource("default.chat-request.json"))
        .answer();
    assertEquals(ChatAnswerOptions.WHOLE, whole);
    ChatAnswerOptions noUsage = ChatCompletionsRequestTranslator.translate(request(user("hi")).put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", false)).toBuffer()).answer();
    assertEquals(new ChatAnswerOptions(true, false, false), noUsage);
  }

  @Test
  void theDeprecatedFunctionsBecomeToolsAndTheirCallsAndResultsPairUp() {
    JsonObject call = new JsonObject().put("role", "assistant").putNull("content")
        .put("function_call", new JsonObject().put("name", "get_time").put("arguments", "{\"zone\":\"UTC\"}"));
    JsonObject result = new JsonObject().put("role", "function").put("name", "get_time").put("content", "12:00");
    JsonObject body = request(user("time?"), call, result, user("and now?"))
        .put("functions", new JsonArray().add(new JsonObject().put("name", "get_time")
            .put("parameters", new JsonObject().put("type", "object"))))
        .put("function_call", new JsonObject().put("name", "get_time"));

    ChatCompletionsRequestTranslator.AnthropicRequest translated =
        ChatCompletionsRequestTranslator.translate(body.toBuffer());

    assertTrue(translated.answer().legacyFunctions());
    JsonNode anthropic = tree(translated.body());
    assertEquals("get_time", anthropic.at("/tools/0/name").asText());
    assertEquals("object", anthropic.at("/tools/0/input_schema/type").asText());
    assertEquals(tree("{\"type\":\"tool\",\"name\":\"get_time\",\"disable_parallel_tool_use\":true}"),
        anthropic.get("tool_choice"));
    JsonNode toolUse = anthropic.at("/messages/1/content/0");
    assertEquals("tool_use", toolUse.get("type").asText());
    assertEquals(tree("{\"zone\":\"UTC\"}"), toolUse.get("input"));
    JsonNode toolResult = anthropic.at("/messages/2/content/0");
    assertEquals(toolUse.get("id"), toolResult.get("tool_use_id"));
    assertEquals("12:00", toolResult.get("content").asText());
    assertEquals("and now?", anthropic.at("/messages/2/content/1/text").asText());
  }

  @Test
  void aFunctionMessageWithoutItsCallIsRefused() {
    JsonObject result = new JsonObject().put("role", "function").put("name", "get_time").put("content", "12:00");
    ChatCompletionsException e = refused(request(user("hi"), result));
    assertEquals("messages[1]", e.param());
  }

  @Test
  void toolChoicesAndParallelCallsMapToAnthropics() {
    JsonArray tools = new JsonArray().add(new JsonObject().put("type", "function")
        .put("function", new JsonObject().put("name", "lookup")));
    assertEquals(tree("{\"type\":\"none\"}"),
        translated(request(user("hi")).put("tools", tools).put("tool_choice", "none")).get("tool_choice"));
    assertEquals(tree("{\"type\":\"tool\",\"name\":\"lookup\"}"), translated(request(user("hi")).put("tools", tools)
        .put("tool_choice", new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", "lookup")))).get("tool_choice"));
    assertEquals(tree("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"),
        translated(request(user("hi")).put("tools", tools).put("parallel_tool_calls", false)).get("tool_choice"));
    assertFalse(translated(request(user("hi")).put("tools", tools)).has("tool_choice"), "Anthropic's default is auto");
    JsonNode noTools = translated(request(user("hi")).put("tool_choice", "auto"));
    assertFalse(noTools.has("tool_choice") || noTools.has("tools"));
  }

  @Test
  void userFallsBackToTheSafetyIdentifierAndTemperatureAboveOneIsOne() {
    JsonNode anthropic = translated(request(user("hi")).put("safety_identifier", "hashed-user")
        .put("temperature", 2));
    assertEquals("hashed-user", anthropic.at("/metadata/user_id").asText());
    assertEquals(1.0, anthropic.get("temperature").asDouble());
    assertEquals(0.3, translated(request(user("hi")).put("temperature", 0.3)).get("temperature").asDouble());
  }

  @Test
  void aJsonSchemaFormatBecomesAnthropicsOutputFormat() {
    JsonObject schema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("answer", new JsonObject().put("type", "string")))
        .put("required", new JsonArray().add("answer")).put("additionalProperties", false);
    JsonNode anthropic = translated(request(user("hi")).put("response_format", new JsonObject()
        .put("type", "json_schema").put("json_schema", new JsonObject().put("name", "answer").put("strict", true)
            .put("schema", schema))));
    assertEquals("json_schema", anthropic.at("/output_config/format/type").asText());
    assertEquals(tree(schema.encode()), anthropic.at("/output_config/format/schema"));
    assertFalse(translated(request(user("hi")).put("response_format", new JsonObject().put("type", "text")))
        .has("output_config"));
  }

  @Test
  void anInlinePdfBecomesADocumentBlock() {
    JsonObject file = new JsonObject().put("type", "file").put("file", new JsonObject()
        .put("filename", "report.pdf").put("file_data", "data:application/pdf;base64,JVBERi0xLjQK"));
    JsonNode block = translated(request(user(new JsonArray().add(file)))).at("/messages/0/content/0");
    assertEquals(tree("{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\","
        + "\"data\":\"JVBERi0xLjQK\"},\"title\":\"report.pdf\"}"), block);
  }

  @Test
  void aToolCallIdAnthropicCannotTakeIsMappedTheSameWayInTheCallAndItsResult() {
    JsonObject call = new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(
        new JsonObject().put("id", "call:1/x").put("type", "function")
            .put("function", new JsonObject().put("name", "lookup").put("arguments", ""))));
    JsonObject result = new JsonObject().put("role", "tool").put("tool_call_id", "call:1/x").put("content", "ok");
    JsonNode anthropic = translated(request(user("hi"), call, result));
    String id = anthropic.at("/messages/1/content/0/id").asText();
    assertTrue(id.matches("[A-Za-z0-9_-]+"), id);
    assertEquals(id, anthropic.at("/messages/2/content/0/tool_use_id").asText());
    assertEquals(tree("{}"), anthropic.at("/messages/1/content/0/input"), "empty arguments are no arguments");
  }

  @Test
  void emptyTextIsLeftOutAndAnEmptyAssistantTurnDisappears() {
    JsonObject emptyAssistant = new JsonObject().put("role", "assistant").put("content", "");
    JsonNode anthropic = translated(request(user("hi"), emptyAssistant, user(new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "")).add(new JsonObject().put("type", "text")
            .put("text", "again")))));
    assertEquals(2, anthropic.get("messages").size());
    assertEquals(tree("[{\"type\":\"text\",\"text\":\"again\"}]"), anthropic.at("/messages/1/content"));
    ChatCompletionsException e = refused(request(new JsonObject().put("role", "system").put("content", "only")));
    assertEquals("messages", e.param());
  }

  @Test
  void unknownFieldsAreRefusedAsOpenAiRefusesThemAndOpenAiOnlyTuningIsIgnored() {
    ChatCompletionsException e = refused(request(user("hi")).put("temprature", 0.5));
    assertEquals(FailureCode.INVALID_REQUEST, e.code());
    assertTrue(e.getMessage().startsWith("Unrecognized request argument supplied: 'temprature'"), e.getMessage());
    JsonNode anthropic = translated(request(user("hi")).put("seed", 1).put("logit_bias", new JsonObject())
        .put("store", true).put("service_tier", "auto").put("reasoning_effort", "low").put("metadata",
            new JsonObject().put("k", "v")).put("prompt_cache_key", "k").put("n", 1).put("logprobs", false));
    assertFalse(anthropic.has("seed") || anthropic.has("logit_bias") || anthropic.has("store")
        || anthropic.has("metadata") || anthropic.has("service_tier"));
  }

  @Test
  void requestsWhoseAnswerCouldNotBeWhatWasAskedAreRefusedNamingTheParameter() {
    assertRefusal(request(user("hi")).put("n", 2), "n", "unsupported_value");
    assertRefusal(request(user("hi")).put("logprobs", true), "logprobs", "unsupported_parameter");
    assertRefusal(request(user("hi")).put("top_logprobs", 2), "top_logprobs", "unsupported_parameter");
    assertRefusal(request(user("hi")).put("audio", new JsonObject().put("voice", "alloy")), "audio",
        "unsupported_parameter");
    assertRefusal(request(user("hi")).put("modalities", new JsonArray().add("text").add("audio")),
        "modalities[1]", "unsupported_value");
    assertRefusal(request(user("hi")).put("response_format", new JsonObject().put("type", "json_object")),
        "response_format.type", "unsupported_value");
    assertRefusal(request(user("hi")).put("max_tokens", 10).put("max_completion_tokens", 10), "max_tokens",
        "invalid_parameter_combination");
    assertRefusal(request(user("hi")).put("stream_options", new JsonObject().put("include_usage", true)),
        "stream_options", "invalid_parameter_combination");
    assertRefusal(request(user("hi")).put("tools", new JsonArray().add(new JsonObject().put("type", "custom")
        .put("custom", new JsonObject().put("name", "x")))), "tools[0].type", "unsupported_value");
    assertRefusal(request(user(new JsonArray().add(new JsonObject().put("type", "input_audio")
        .put("input_audio", new JsonObject().put("data", "AAAA").put("format", "wav"))))),
        "messages[0].content[0].type", "unsupported_value");
    assertRefusal(request(user(new JsonArray().add(new JsonObject().put("type", "file")
        .put("file", new JsonObject().put("file_id", "file-abc"))))), "messages[0].content[0].file.file_id",
        "unsupported_parameter");
  }

  private static void assertRefusal(JsonObject request, String param, String openAiCode) {
    ChatCompletionsException e = refused(request);
    assertEquals(FailureCode.INVALID_REQUEST, e.code(), e.getMessage());
    assertEquals(param, e.param(), e.getMessage());
    assertEquals(openAiCode, e.openAiCode(), e.getMessage());
    assertTrue(e.getMessage().startsWith(param + ": "), e.getMessage());
  }

  @Test
  void malformedValuesNameTheFieldAndNeverQuoteTheContent() {
    JsonObject badArguments = new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(
        new JsonObject().put("id", "call_1").put("type", "function").put("function", new JsonObject()
            .put("name", "lookup").put("arguments", "{\"q\": \"" + SECRET_TEXT))));
    ChatCompletionsException e = refused(request(user("hi"), badArguments));
    assertEquals("messages[1].tool_calls[0].function.arguments", e.param());
    assertFalse(e.getMessage().contains(SECRET_TEXT), e.getMessage());

    JsonObject badImage = new JsonObject().put("type", "image_url")
        .put("image_url", new JsonObject().put("url", "data:image/png," + SECRET_TEXT));
    e = refused(request(user(new JsonArray().add(badImage))));
    assertEquals("messages[0].content[0].image_url.url", e.param());
    assertFalse(e.getMessage().contains(SECRET_TEXT), e.getMessage());

    JsonObject svg = new JsonObject().put("type", "image_url")
        .put("image_url", new JsonObject().put("url", "data:image/svg+xml;base64,PHN2Zz4="));
    assertEquals("messages[0].content[0].image_url.url", refused(request(user(new JsonArray().add(svg)))).param());
    JsonObject ftp = new JsonObject().put("type", "image_url")
        .put("image_url", new JsonObject().put("url", "ftp://example.com/a.png"));
    assertEquals("messages[0].content[0].image_url.url", refused(request(user(new JsonArray().add(ftp)))).param());

    assertEquals("messages[0].role", refused(request(new JsonObject().put("role", "robot").put("content", "x")))
        .param());
    assertEquals("model", refused(new JsonObject().put("messages", new JsonArray().add(user("hi")))).param());
    assertEquals("messages", refused(new JsonObject().put("model", "m").put("messages", new JsonArray())).param());
    assertEquals("temperature", refused(request(user("hi")).put("temperature", 3)).param());
    assertEquals("stop", refused(request(user("hi")).put("stop", new JsonArray().add("a").add("b").add("c")
        .add("d").add("e"))).param());
  }

  @Test
  void aBodyThatIsNotOneJsonObjectIsRefused() {
    for (String body : new String[] {"[]", "{\"model\":", "{\"model\":\"a\",\"model\":\"b\",\"messages\":[]}"}) {
      ChatCompletionsException e = assertThrows(ChatCompletionsException.class,
          () -> ChatCompletionsRequestTranslator.translate(Buffer.buffer(body)));
      assertEquals(FailureCode.INVALID_REQUEST, e.code());
      assertNull(e.param());
    }
  }
}
