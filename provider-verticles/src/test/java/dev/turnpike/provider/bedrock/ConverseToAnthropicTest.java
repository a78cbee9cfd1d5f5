package dev.turnpike.provider.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.TestJson;
import dev.turnpike.provider.openai.ToolNameMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConverseToAnthropicTest {

  @TestFactory
  Stream<DynamicTest> should_match_the_golden_anthropic_message_when_translating_a_fixture() {
    List<String> cases = ConverseFixtures.FILES.cases(".converse-response.json");
    assertTrue(cases.size() >= 4, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode actual = TestJson.normalized(ConverseToAnthropic.message(
          ConverseFixtures.FILES.json(name + ".converse-response.json"), ConverseFixtures.CLIENT_MODEL,
          new ToolNameMapper(), ConverseFixtures.MESSAGE_ID));
      assertEquals(ConverseFixtures.FILES.json(name + ".anthropic-response.json"), actual, name);
    }));
  }

  @Test
  void should_map_a_tool_name_back_with_the_mapper_the_request_used() {
    String longName = "mcp__filesystem__read_text_file_with_a_really_long_name_beyond_the_sixty_four_limit";
    ToolNameMapper names = new ToolNameMapper();
    String sent = names.toOpenAi(longName);
    JsonNode converse = ConverseFixtures.FILES.json("tool-use.converse-response.json").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) converse.path("output").path("message").path("content").path(1)
        .path("toolUse")).put("name", sent);

    JsonNode message = ConverseToAnthropic.message(converse, "m", names, "msg_1");

    assertEquals(longName, message.path("content").path(1).path("name").asText());
  }

  @Test
  void should_count_usage_as_anthropic_does_with_the_cache_apart() {
    JsonNode usage = ConverseFixtures.FILES.json("cached.converse-response.json").path("usage");

    assertEquals(new Usage(2095, 503, 2051, 2051), ConverseToAnthropic.usageOf(usage));
    assertEquals(Usage.NONE, ConverseToAnthropic.usageOf(null));
  }

  @ParameterizedTest
  @CsvSource({
      "end_turn, false, end_turn",
      "end_turn, true, tool_use",
      "tool_use, true, tool_use",
      "max_tokens, true, max_tokens",
      "stop_sequence, false, stop_sequence",
      "model_context_window_exceeded, false, model_context_window_exceeded",
      "guardrail_intervened, false, refusal",
      "content_filtered, false, refusal",
      "malformed_model_output, false, end_turn",
      "malformed_tool_use, false, end_turn",
      "a_reason_added_later, true, tool_use"
  })
  void should_map_each_converse_stop_reason(String converse, boolean toolUsed, String anthropic) {
    assertEquals(anthropic, ConverseToAnthropic.stopReason(converse, toolUsed));
  }

  @Test
  void should_refuse_an_answer_without_a_message() {
    JsonNode notAnAnswer = TestJson.JSON.createObjectNode().put("message", "Internal error");

    assertThrows(IllegalArgumentException.class,
        () -> ConverseToAnthropic.message(notAnAnswer, "m", new ToolNameMapper(), "msg_1"));
  }
}
