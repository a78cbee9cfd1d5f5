package dev.turnpike.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.provider.TestJson;
import dev.turnpike.provider.openai.OpenAiRequestTranslator.MaxTokensField;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class OpenAiRequestTranslatorTest {

  @TestFactory
  Stream<DynamicTest> should_match_golden_openai_request_when_translating_fixture() {
    List<String> cases = Fixtures.FILES.cases(".anthropic-request.json");
    assertTrue(cases.size() >= 14, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode expected = Fixtures.FILES.json(name + ".openai-request.json");
      ObjectNode actual = OpenAiRequestTranslator.toChatCompletions(
          Fixtures.FILES.json(name + ".anthropic-request.json"), Fixtures.UPSTREAM_MODEL, new ToolNameMapper());
      assertEquals(expected, TestJson.normalized(actual), name);
    }));
  }

  @Test
  void should_send_max_tokens_when_server_only_knows_the_legacy_field() {
    JsonNode request = Fixtures.FILES.json("text.anthropic-request.json");
    ObjectNode legacy = OpenAiRequestTranslator.toChatCompletions(request, "llama", new ToolNameMapper(),
        MaxTokensField.MAX_TOKENS);
    assertEquals(1024, legacy.path("max_tokens").asInt());
    assertFalse(legacy.has("max_completion_tokens"));
  }

  @Test
  void should_leave_input_untouched_when_translating() {
    JsonNode request = Fixtures.FILES.json("tool-call.anthropic-request.json");
    JsonNode copy = request.deepCopy();
    ObjectNode out = OpenAiRequestTranslator.toChatCompletions(request, "gpt-5", new ToolNameMapper());
    ((ObjectNode) out.path("tools").path(0).path("function").path("parameters")).put("mutated", true);
    assertEquals(copy, request);
  }

  @Test
  void should_render_orphan_tool_result_as_user_text_when_no_tool_call_precedes_it() {
    JsonNode request = TestJson.JSON.createObjectNode().set("messages", TestJson.JSON.valueToTree(List.of(
        java.util.Map.of("role", "user", "content", List.of(java.util.Map.of(
            "type", "tool_result", "tool_use_id", "toolu_gone", "content", "42"))))));
    ObjectNode out = OpenAiRequestTranslator.toChatCompletions(request, "gpt-5", new ToolNameMapper());
    JsonNode only = out.path("messages").path(0);
    assertEquals("user", only.path("role").asText());
    assertEquals("Result of tool call toolu_gone:\n42", only.path("content").asText());
  }

  @Test
  void should_move_tool_result_images_into_the_user_message_when_a_tool_returns_an_image() {
    String json = """
        {"messages":[
          {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Screenshot","input":{}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[
            {"type":"text","text":"captured"},
            {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"AAAA"}}]}]}]}
        """;
    ObjectNode out = OpenAiRequestTranslator.toChatCompletions(read(json), "gpt-5", new ToolNameMapper());
    JsonNode messages = out.path("messages");
    assertEquals(3, messages.size());
    assertEquals("tool", messages.path(1).path("role").asText());
    assertEquals("captured", messages.path(1).path("content").asText());
    JsonNode user = messages.path(2);
    assertEquals("user", user.path("role").asText());
    assertEquals("data:image/jpeg;base64,AAAA", user.path("content").path(1).path("image_url").path("url").asText());
  }

  @Test
  void should_refuse_when_request_is_not_an_object() {
    assertThrows(IllegalArgumentException.class,
        () -> OpenAiRequestTranslator.toChatCompletions(read("[]"), "gpt-5", new ToolNameMapper()));
  }

  private static JsonNode read(String json) {
    try {
      return TestJson.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
