package dev.turnpike.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Usage;
import dev.turnpike.provider.AnthropicSseGrammar;
import dev.turnpike.provider.SseEvent;
import dev.turnpike.provider.TestJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class GeminiStreamTranslatorTest {

  @TestFactory
  Stream<DynamicTest> should_match_golden_anthropic_stream_when_translating_fixture() {
    List<String> cases = GeminiFixtures.FILES.cases(".gemini-stream.txt");
    assertTrue(cases.size() >= 7, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      String expected = GeminiFixtures.FILES.text(name + ".anthropic-stream.txt");
      String actual = GeminiFixtures.translateStream(GeminiFixtures.FILES.bytes(name + ".gemini-stream.txt"),
          new int[0], GeminiFixtures.namesFor(name));
      assertEquals(SseEvent.listOf(expected), SseEvent.listOf(actual), name);
      AnthropicSseGrammar.assertValid(actual);
    }));
  }

  @TestFactory
  Stream<DynamicTest> should_produce_identical_output_when_upstream_chunks_split_anywhere() {
    return GeminiFixtures.FILES.cases(".gemini-stream.txt").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      byte[] stream = GeminiFixtures.FILES.bytes(name + ".gemini-stream.txt");
      String whole = GeminiFixtures.translateStream(stream, new int[0], GeminiFixtures.namesFor(name));
      for (int cut = 1; cut < stream.length; cut++) {
        assertEquals(whole, GeminiFixtures.translateStream(stream, new int[] {cut}, GeminiFixtures.namesFor(name)),
            "split at byte " + cut);
      }
      Random random = new Random(name.hashCode());
      for (int round = 0; round < 20; round++) {
        int[] cuts = random.ints(1 + random.nextInt(12), 1, stream.length).sorted().distinct().toArray();
        assertEquals(whole, GeminiFixtures.translateStream(stream, cuts, GeminiFixtures.namesFor(name)),
            "random cuts");
      }
    }));
  }

  @Test
  void should_not_finish_and_report_the_estimate_when_the_stream_stops_before_a_finish_reason() {
    GeminiStreamTranslator translator = new GeminiStreamTranslator("claude", GeminiRequestTranslator.toolNames(),
        42);
    String first = translator.onChunk(TestJson.read(
        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"}]}}]}"))
        .toString(StandardCharsets.UTF_8);

    assertTrue(first.startsWith("event: message_start\n"), first);
    assertFalse(translator.sawFinish());
    assertEquals(new Usage(42, 0, 0, 0), translator.usageSoFar());
  }

  @Test
  void should_finish_a_blocked_prompt_as_a_refusal_when_no_candidate_comes() {
    GeminiStreamTranslator translator = new GeminiStreamTranslator("claude", GeminiRequestTranslator.toolNames(),
        42);
    String out = translator.onChunk(TestJson.read(
        "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":7}}"))
        .toString(StandardCharsets.UTF_8);
    assertTrue(translator.sawFinish());
    out += translator.finish().toString(StandardCharsets.UTF_8);

    AnthropicSseGrammar.assertValid(out);
    assertTrue(out.contains("\"stop_reason\":\"refusal\""), out);
    assertTrue(out.contains("[Gemini blocked the prompt: SAFETY]"), out);
    assertEquals("", translator.finish().toString(StandardCharsets.UTF_8), "finish runs once");
  }
}
