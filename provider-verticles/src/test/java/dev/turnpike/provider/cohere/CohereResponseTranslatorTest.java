package dev.turnpike.provider.cohere;

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

class CohereResponseTranslatorTest {

  @TestFactory
  Stream<DynamicTest> should_match_golden_anthropic_message_when_translating_fixture() {
    List<String> cases = CohereFixtures.FILES.cases(".cohere-response.json", ".anthropic-response.json");
    assertTrue(cases.size() >= 8, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode out = CohereResponseTranslator.toAnthropicMessage(
          CohereFixtures.FILES.json(name + ".cohere-response.json"), CohereFixtures.CLIENT_MODEL,
          CohereFixtures.namesFor(name));
      assertEquals(CohereFixtures.FILES.json(name + ".anthropic-response.json"), TestJson.normalized(out), name);
    }));
  }

  @Test
  void should_count_model_tokens_with_cache_reads_apart_when_reading_usage() throws Exception {
    Usage usage = CohereResponseTranslator.usageOf(TestJson.JSON.readTree(
        "{\"billed_units\":{\"input_tokens\":119,\"output_tokens\":44},"
            + "\"tokens\":{\"input_tokens\":1549,\"output_tokens\":95},\"cached_tokens\":1504}"));

    assertEquals(new Usage(45, 95, 1504, 0), usage);
  }

  @Test
  void should_fall_back_to_billed_units_when_tokens_are_missing() throws Exception {
    Usage usage = CohereResponseTranslator.usageOf(TestJson.JSON.readTree(
        "{\"billed_units\":{\"input_tokens\":9.0,\"output_tokens\":3.0},\"cached_tokens\":50}"));

    assertEquals(new Usage(0, 3, 9, 0), usage, "cached tokens never exceed the input they are part of");
    assertEquals(Usage.NONE, CohereResponseTranslator.usageOf(TestJson.JSON.nullNode()));
  }

  @Test
  void should_map_every_documented_finish_reason() {
    assertEquals("end_turn", CohereResponseTranslator.stopReason("COMPLETE", false));
    assertEquals("tool_use", CohereResponseTranslator.stopReason("COMPLETE", true));
    assertEquals("max_tokens", CohereResponseTranslator.stopReason("MAX_TOKENS", true));
    assertEquals("stop_sequence", CohereResponseTranslator.stopReason("STOP_SEQUENCE", false));
    assertEquals("tool_use", CohereResponseTranslator.stopReason("TOOL_CALL", false));
    assertEquals("end_turn", CohereResponseTranslator.stopReason(null, false));
  }

  @Test
  void should_wrap_arguments_that_are_not_an_object_instead_of_failing() {
    assertEquals("{}", CohereResponseTranslator.parseArguments("null").toString());
    assertEquals("{}", CohereResponseTranslator.parseArguments("  ").toString());
    assertEquals("{\"_invalid_json_arguments\":\"[1,2\"}", CohereResponseTranslator.parseArguments("[1,2").toString());
    assertEquals("{\"_invalid_json_arguments\":\"42\"}", CohereResponseTranslator.parseArguments("42").toString());
  }
}
