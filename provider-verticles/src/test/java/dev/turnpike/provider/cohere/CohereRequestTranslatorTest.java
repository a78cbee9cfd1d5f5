package dev.turnpike.provider.cohere;

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

class CohereRequestTranslatorTest {

  @TestFactory
  Stream<DynamicTest> should_match_golden_cohere_request_when_translating_fixture() {
    List<String> cases = CohereFixtures.FILES.cases(".anthropic-request.json", ".cohere-request.json");
    assertTrue(cases.size() >= 9, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode input = CohereFixtures.FILES.json(name + ".anthropic-request.json");
      JsonNode before = input.deepCopy();
      ObjectNode out = CohereRequestTranslator.toCohereChat(input, CohereFixtures.UPSTREAM_MODEL,
          new CohereToolNames());
      assertEquals(CohereFixtures.FILES.json(name + ".cohere-request.json"), TestJson.normalized(out), name);
      assertEquals(before, input, "input not modified");
    }));
  }

  @Test
  void should_refuse_a_request_that_is_not_an_object() {
    assertThrows(IllegalArgumentException.class, () -> CohereRequestTranslator.toCohereChat(
        TestJson.JSON.getNodeFactory().arrayNode(), "m", new CohereToolNames()));
  }

  @Test
  void should_send_no_tool_choice_when_the_request_has_no_tools_cohere_accepts() throws Exception {
    JsonNode request = TestJson.JSON.readTree("""
        {"max_tokens":10,"tool_choice":{"type":"any"},
         "tools":[{"type":"web_search_20250305","name":"web_search"}],
         "messages":[{"role":"user","content":"hi"}]}""");

    ObjectNode out = CohereRequestTranslator.toCohereChat(request, "m", new CohereToolNames());

    assertFalse(out.has("tools"), "server tools run on Anthropic's side only");
    assertFalse(out.has("tool_choice"), "Cohere refuses tool_choice without tools");
  }

  @Test
  void should_keep_tool_answers_next_to_their_calls_when_a_system_entry_sits_between() throws Exception {
    JsonNode out = CohereRequestTranslator.toCohereChat(
        CohereFixtures.FILES.json("mid-conversation-system.anthropic-request.json"), "m", new CohereToolNames())
        .path("messages");

    int call = -1;
    for (int i = 0; i < out.size(); i++) {
      if (out.path(i).has("tool_calls")) {
        call = i;
      }
    }
    assertEquals("tool", out.path(call + 1).path("role").asText());
    assertEquals("system", out.path(call + 2).path("role").asText());
  }
}
