package dev.turnpike.contract.openai;

import static dev.turnpike.contract.openai.OpenAiFixtures.META;
import static dev.turnpike.contract.openai.OpenAiFixtures.claudeCode;
import static dev.turnpike.contract.openai.OpenAiFixtures.resource;
import static dev.turnpike.contract.openai.OpenAiFixtures.tree;
import static dev.turnpike.contract.openai.OpenAiFixtures.withParsedArguments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChatCompletionsResponseTranslatorTest {
  private static JsonNode translate(Buffer anthropic, ChatAnswerOptions options) {
    return tree(ChatCompletionsResponseTranslator.fromAnthropic(anthropic, META, options));
  }

  private static JsonObject message(String stopReason, JsonObject... blocks) {
    JsonArray content = new JsonArray();
    for (JsonObject block : blocks) {
      content.add(block);
    }
    return new JsonObject().put("id", "msg_1").put("type", "message").put("role", "assistant")
        .put("model", "claude-sonnet-4-5").put("content", content).put("stop_reason", stopReason)
        .put("usage", new JsonObject().put("input_tokens", 10).put("output_tokens", 5));
  }

  private static JsonObject toolUse(String id, String name, JsonObject input) {
    return new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", input);
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "tool-use"})
  void translatesThePublishedAnthropicExamples(String name) {
    JsonNode completion = translate(resource(name + ".anthropic-response.json"), ChatAnswerOptions.WHOLE);
    assertEquals(withParsedArguments(tree(resource(name + ".chat-completion.json"))),
        withParsedArguments(completion));
  }

  @Test
  void dropsThinkingFromTheClaudeCodeAnswer() {
    JsonNode completion = translate(claudeCode("cc2.1.332-nonstream_message.json"), ChatAnswerOptions.WHOLE);
    assertEquals(withParsedArguments(tree(resource("thinking-text-tool.chat-completion.json"))),
        withParsedArguments(completion));
    assertFalse(completion.toString().contains("I should run the command."), "the thinking text");
  }

  @Test
  void toolCallsOnlyHaveNullContentAndParallelCallsKeepTheirOrder() {
    JsonObject anthropic = message("tool_use", toolUse("toolu_a", "lookup", new JsonObject().put("q", "a")),
        toolUse("toolu_b", "lookup", new JsonObject().put("q", "b")));
    JsonNode answer = translate(anthropic.toBuffer(), ChatAnswerOptions.WHOLE).at("/choices/0/message");
    assertTrue(answer.get("content").isNull());
    assertEquals(2, answer.get("tool_calls").size());
    assertEquals("toolu_b", answer.at("/tool_calls/1/id").asText());
    assertEquals(tree("{\"q\":\"b\"}"), tree(answer.at("/tool_calls/1/function/arguments").asText()));
  }

  @Test
  void theDeprecatedFunctionsGetOneFunctionCall() {
    JsonObject anthropic = message("tool_use", toolUse("toolu_a", "get_time", new JsonObject().put("zone", "UTC")));
    JsonNode choice = translate(anthropic.toBuffer(), new ChatAnswerOptions(false, false, true)).at("/choices/0");
    assertEquals("function_call", choice.get("finish_reason").asText());
    assertFalse(choice.get("message").has("tool_calls"));
    assertEquals("get_time", choice.at("/message/function_call/name").asText());
    assertEquals(tree("{\"zone\":\"UTC\"}"), tree(choice.at("/message/function_call/arguments").asText()));
  }

  @ParameterizedTest
  @CsvSource({"end_turn,stop", "stop_sequence,stop", "max_tokens,length", "model_context_window_exceeded,length",
      "tool_use,tool_calls", "refusal,content_filter", "pause_turn,stop", "some_new_reason,stop"})
  void mapsTheStopReason(String stopReason, String finishReason) {
    JsonObject anthropic = message(stopReason, new JsonObject().put("type", "text").put("text", "x"));
    assertEquals(finishReason, translate(anthropic.toBuffer(), ChatAnswerOptions.WHOLE)
        .at("/choices/0/finish_reason").asText());
  }

  @Test
  void withoutAModelTheRequestedOneIsReported() {
    JsonObject anthropic = message("end_turn", new JsonObject().put("type", "text").put("text", "x"));
    anthropic.remove("model");
    assertEquals(META.requestedModel(), translate(anthropic.toBuffer(), ChatAnswerOptions.WHOLE).get("model")
        .asText());
  }

  @Test
  void anAnswerThatIsNoAnthropicMessageIsTheUpstreamsFault() {
    for (String body : new String[] {"{\"type\":\"error\",\"error\":{}}", "not json", "{\"type\":\"message\"}",
        "{\"type\":\"message\",\"content\":[{\"type\":\"tool_use\",\"name\":\"x\",\"input\":{}}]}"}) {
      ChatCompletionsException e = assertThrows(ChatCompletionsException.class,
          () -> ChatCompletionsResponseTranslator.fromAnthropic(Buffer.buffer(body), META, ChatAnswerOptions.WHOLE));
      assertEquals(FailureCode.UPSTREAM_ERROR, e.code(), body);
    }
  }
}
