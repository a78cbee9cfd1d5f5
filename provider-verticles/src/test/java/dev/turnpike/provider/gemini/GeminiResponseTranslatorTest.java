package dev.turnpike.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.TestJson;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class GeminiResponseTranslatorTest {
  private static final Pattern ANTHROPIC_ID = Pattern.compile("^[a-zA-Z0-9_-]+$");

  @TestFactory
  Stream<DynamicTest> should_match_golden_anthropic_message_when_translating_fixture() {
    List<String> cases = GeminiFixtures.FILES.cases(".gemini-response.json");
    assertTrue(cases.size() >= 9, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode expected = GeminiFixtures.FILES.json(name + ".anthropic-response.json");
      ObjectNode actual = GeminiResponseTranslator.toAnthropicMessage(
          GeminiFixtures.FILES.json(name + ".gemini-response.json"), GeminiFixtures.CLIENT_MODEL,
          GeminiFixtures.namesFor(name));
      assertEquals(expected, TestJson.normalized(actual), name);
    }));
  }

  @Test
  void should_carry_the_signature_and_call_id_back_when_the_client_echoes_the_tool_use() {
    ObjectNode message = GeminiResponseTranslator.toAnthropicMessage(
        GeminiFixtures.FILES.json("function-call.gemini-response.json"), "claude", GeminiRequestTranslator.toolNames());
    JsonNode toolUse = message.path("content").path(0);
    String id = toolUse.path("id").asText();
    assertTrue(ANTHROPIC_ID.matcher(id).matches(), "an id Anthropic and Claude Code accept: " + id);

    String followUp = """
        {"messages":[
          {"role":"user","content":"Which theaters show Barbie?"},
          {"role":"assistant","content":[%s]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s","content":"AMC Mountain View 16"}]}]}
        """.formatted(toolUse.toString(), id);
    ObjectNode next = GeminiRequestTranslator.toGenerateContent(TestJson.read(followUp),
        "gemini-3-pro-preview", true, GeminiRequestTranslator.toolNames());

    JsonNode call = next.path("contents").path(1).path("parts").path(0);
    assertEquals("CiQB0e2Kb3N4l+tPzA/R2w==", call.path("thoughtSignature").asText(), "the signature, exactly");
    assertEquals("abc123", call.path("functionCall").path("id").asText());
    assertEquals("abc123", next.path("contents").path(2).path("parts").path(0).path("functionResponse")
        .path("id").asText());
  }

  @Test
  void should_give_each_call_its_own_id_when_answers_have_no_response_id() {
    JsonNode response = TestJson.read("""
        {"candidates":[{"content":{"role":"model","parts":[
          {"functionCall":{"name":"Bash","args":{}}},{"functionCall":{"name":"Bash","args":{}}}]},
          "finishReason":"STOP"}]}
        """);
    JsonNode first = GeminiResponseTranslator.toAnthropicMessage(response, "claude",
        GeminiRequestTranslator.toolNames()).path("content");
    JsonNode again = GeminiResponseTranslator.toAnthropicMessage(response, "claude",
        GeminiRequestTranslator.toolNames()).path("content");
    assertNotEquals(first.path(0).path("id"), first.path(1).path("id"));
    assertNotEquals(first.path(0).path("id"), again.path(0).path("id"), "another answer, other ids");
  }

  @Test
  void should_count_cached_tokens_apart_from_input_when_reading_usage() {
    Usage usage = GeminiResponseTranslator.usageOf(TestJson.read(
        "{\"promptTokenCount\":100,\"cachedContentTokenCount\":60,\"candidatesTokenCount\":7,"
            + "\"thoughtsTokenCount\":3}"));
    assertEquals(new Usage(40, 10, 60, 0), usage);
    assertEquals(Usage.NONE, GeminiResponseTranslator.usageOf(TestJson.read("null")));
  }
}
