package dev.turnpike.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.TestJson;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class OpenAiResponseTranslatorTest {

  @TestFactory
  Stream<DynamicTest> should_match_golden_anthropic_message_when_translating_fixture() {
    List<String> cases = Fixtures.FILES.cases(".openai-response.json");
    assertTrue(cases.size() >= 10, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode expected = Fixtures.FILES.json(name + ".anthropic-response.json");
      JsonNode actual = OpenAiResponseTranslator.toAnthropicMessage(
          Fixtures.FILES.json(name + ".openai-response.json"), Fixtures.CLIENT_MODEL, Fixtures.namesFor(name));
      assertEquals(expected, TestJson.normalized(actual), name);
    }));
  }

  @Test
  void should_subtract_cached_tokens_from_input_when_usage_reports_cache_reads() {
    JsonNode usage = Fixtures.FILES.json("cached-usage.openai-response.json").path("usage");
    assertEquals(new Usage(86, 300, 1920, 0), OpenAiResponseTranslator.usageOf(usage));
  }

  @Test
  void should_report_no_usage_when_usage_is_missing_or_null() {
    assertEquals(Usage.NONE, OpenAiResponseTranslator.usageOf(TestJson.JSON.missingNode()));
    assertEquals(Usage.NONE, OpenAiResponseTranslator.usageOf(TestJson.JSON.nullNode()));
    assertEquals(Usage.NONE, OpenAiResponseTranslator.usageOf(null));
  }

  @Test
  void should_read_text_parts_when_a_server_sends_content_as_an_array() throws Exception {
    JsonNode completion = TestJson.JSON.readTree("""
        {"id":"chatcmpl-parts","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",
         "content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]}}]}""");
    JsonNode content = OpenAiResponseTranslator.toAnthropicMessage(completion, "claude", new ToolNameMapper())
        .path("content");
    assertEquals(TestJson.JSON.readTree(
        "[{\"type\":\"text\",\"text\":\"one\"},{\"type\":\"text\",\"text\":\"two\"}]"), content);
  }

  @Test
  void should_answer_an_empty_end_turn_message_when_choices_are_empty() {
    JsonNode message = OpenAiResponseTranslator.toAnthropicMessage(
        TestJson.JSON.createObjectNode().put("id", "chatcmpl-x").set("choices", TestJson.JSON.createArrayNode()),
        "claude", new ToolNameMapper());
    assertEquals("msg_x", message.path("id").asText());
    assertTrue(message.path("content").isEmpty());
    assertEquals("end_turn", message.path("stop_reason").asText());
  }
}
