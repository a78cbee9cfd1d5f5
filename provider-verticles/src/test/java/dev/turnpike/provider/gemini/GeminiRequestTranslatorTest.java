package dev.turnpike.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.provider.TestJson;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class GeminiRequestTranslatorTest {

  @TestFactory
  Stream<DynamicTest> should_match_golden_gemini_request_when_translating_fixture() {
    List<String> cases = GeminiFixtures.FILES.cases(".gemini-request.json");
    assertTrue(cases.size() >= 10, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode expected = GeminiFixtures.FILES.json(name + ".gemini-request.json");
      ObjectNode actual = GeminiRequestTranslator.toGenerateContent(
          GeminiFixtures.FILES.json(name + ".anthropic-request.json"), GeminiFixtures.UPSTREAM_MODEL, true,
          GeminiRequestTranslator.toolNames());
      assertEquals(expected, TestJson.normalized(actual), name);
    }));
  }

  @Test
  void should_leave_call_ids_out_but_keep_signatures_when_the_api_has_no_id_field() {
    ObjectNode vertex = GeminiRequestTranslator.toGenerateContent(
        GeminiFixtures.FILES.json("tool-call.anthropic-request.json"), "gemini-2.5-pro", false,
        GeminiRequestTranslator.toolNames());

    JsonNode call = vertex.path("contents").path(1).path("parts").path(1);
    assertFalse(call.path("functionCall").has("id"), call.toString());
    assertEquals("CiQB0e2Kb3N4l+tPzA/R2w==", call.path("thoughtSignature").asText());
    assertFalse(vertex.path("contents").path(2).path("parts").path(0).path("functionResponse").has("id"));
  }

  @Test
  void should_mark_the_first_call_of_an_unsigned_call_turn_when_the_model_is_gemini_3() {
    String request = """
        {"max_tokens":100,"messages":[
          {"role":"user","content":"both"},
          {"role":"assistant","content":[
            {"type":"tool_use","id":"toolu_01A","name":"Bash","input":{"command":"a"}},
            {"type":"tool_use","id":"toolu_01B","name":"Bash","input":{"command":"b"}}]},
          {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"toolu_01A","content":"1"},
            {"type":"tool_result","tool_use_id":"toolu_01B","content":"2"}]},
          {"role":"assistant","content":[
            {"type":"tool_use","id":"%s","name":"Bash","input":{"command":"c"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s","content":"3"}]}]}
        """.formatted(SIGNED_ID, SIGNED_ID);

    ObjectNode gemini3 = GeminiRequestTranslator.toGenerateContent(TestJson.read(request),
        "gemini-3-pro-preview", true, GeminiRequestTranslator.toolNames());
    ObjectNode gemini25 = GeminiRequestTranslator.toGenerateContent(TestJson.read(request),
        "gemini-2.5-flash", true, GeminiRequestTranslator.toolNames());

    JsonNode unsigned = gemini3.path("contents").path(1).path("parts");
    assertEquals(GeminiRequestTranslator.SKIP_SIGNATURE, unsigned.path(0).path("thoughtSignature").asText());
    assertFalse(unsigned.path(1).has("thoughtSignature"), "only the first call of a turn carries one");
    assertEquals("c2lnbmVk", gemini3.path("contents").path(3).path("parts").path(0).path("thoughtSignature").asText(),
        "a real signature is never replaced");
    assertFalse(gemini25.path("contents").path(1).path("parts").path(0).has("thoughtSignature"),
        "Gemini 2.5 does not enforce signatures");
  }

  @Test
  void should_answer_a_call_turn_the_client_never_answered_when_the_next_turn_is_the_model_again() {
    String request = """
        {"messages":[
          {"role":"user","content":"go"},
          {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01A","name":"Bash","input":{}}]},
          {"role":"user","content":[{"type":"text","text":""}]},
          {"role":"assistant","content":"done"}]}
        """;

    JsonNode contents = GeminiRequestTranslator.toGenerateContent(TestJson.read(request), "gemini-2.5-pro",
        true, GeminiRequestTranslator.toolNames()).path("contents");

    assertEquals(4, contents.size(), contents.toString());
    assertEquals(GeminiRequestTranslator.TOOL_NOT_ANSWERED,
        contents.path(2).path("parts").path(0).path("functionResponse").path("response").path("error").asText());
    assertEquals("model", contents.path(3).path("role").asText());
  }

  @Test
  void should_leave_input_untouched_when_translating() {
    JsonNode request = GeminiFixtures.FILES.json("schema.anthropic-request.json");
    JsonNode copy = request.deepCopy();
    ObjectNode out = GeminiRequestTranslator.toGenerateContent(request, "gemini-2.5-pro", true,
        GeminiRequestTranslator.toolNames());
    ((ObjectNode) out.path("tools").path(0).path("functionDeclarations").path(0).path("parameters")).put("x", 1);
    assertEquals(copy, request);
  }

  @Test
  void should_refuse_when_request_is_not_an_object() {
    assertThrows(IllegalArgumentException.class, () -> GeminiRequestTranslator.toGenerateContent(
        TestJson.read("[]"), "gemini-2.5-pro", true, GeminiRequestTranslator.toolNames()));
  }

  private static final String SIGNED_ID = GeminiToolIds.encode(7, null, "c2lnbmVk");
}
