package dev.turnpike.provider.cohere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.AnthropicSseGrammar;
import dev.turnpike.provider.ClaudeCodeCaptures;
import dev.turnpike.provider.SseEvent;
import dev.turnpike.provider.TestJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class CohereStreamTranslatorTest {

  @TestFactory
  Stream<DynamicTest> should_match_golden_anthropic_stream_when_translating_fixture() {
    List<String> cases = CohereFixtures.FILES.cases(".cohere-stream.txt", ".anthropic-stream.txt");
    assertTrue(cases.size() >= 10, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      String expected = CohereFixtures.FILES.text(name + ".anthropic-stream.txt");
      CohereFixtures.Translated actual = CohereFixtures.translateStream(
          CohereFixtures.FILES.bytes(name + ".cohere-stream.txt"), new int[0], CohereFixtures.namesFor(name));
      assertEquals(SseEvent.listOf(expected), SseEvent.listOf(actual.sse()), name);
      AnthropicSseGrammar.assertValid(actual.sse());
      assertTrue(actual.translator().ended(), "message-end seen");
    }));
  }

  @TestFactory
  Stream<DynamicTest> should_produce_identical_output_when_upstream_chunks_split_anywhere() {
    return CohereFixtures.FILES.cases(".cohere-stream.txt", ".anthropic-stream.txt").stream()
        .map(name -> DynamicTest.dynamicTest(name, () -> {
          byte[] stream = CohereFixtures.FILES.bytes(name + ".cohere-stream.txt");
          String whole = CohereFixtures.translateStream(stream, new int[0], CohereFixtures.namesFor(name)).sse();
          for (int cut = 1; cut < stream.length; cut += Math.max(1, stream.length / 400)) {
            assertEquals(whole, CohereFixtures.translateStream(stream, new int[] {cut},
                CohereFixtures.namesFor(name)).sse(), "split at byte " + cut);
          }
          int[] everyByte = new int[stream.length - 1];
          for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
          }
          assertEquals(whole, CohereFixtures.translateStream(stream, everyByte, CohereFixtures.namesFor(name)).sse(),
              "1-byte chunks");
          Random random = new Random(name.hashCode());
          for (int round = 0; round < 20; round++) {
            int[] cuts = random.ints(1 + random.nextInt(12), 1, stream.length).sorted().distinct().toArray();
            assertEquals(whole, CohereFixtures.translateStream(stream, cuts, CohereFixtures.namesFor(name)).sse(),
                "random cuts");
          }
        }));
  }

  @TestFactory
  Stream<DynamicTest> should_report_the_failure_when_message_end_says_error_or_timeout() {
    List<String> cases = CohereFixtures.FILES.cases(".cohere-stream.txt", ".expected-failure.json");
    assertEquals(List.of("stream-error", "stream-timeout"), cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      CohereFixtures.Translated actual = CohereFixtures.translateStream(
          CohereFixtures.FILES.bytes(name + ".cohere-stream.txt"), new int[0], new CohereToolNames());
      CohereStreamTranslator translator = actual.translator();
      Failure failure = CohereErrorMapper.forFinishReason(CohereFixtures.PROVIDER, translator.finishReason(),
          translator.error());

      JsonNode expected = CohereFixtures.FILES.json(name + ".expected-failure.json");
      assertNotNull(failure, name);
      assertEquals(expected.path("code").asText(), failure.code().name());
      assertEquals(expected.path("message").asText(), failure.message());
      List<String> names = SseEvent.listOf(actual.sse()).stream().map(SseEvent::event).toList();
      assertFalse(names.contains("message_delta") || names.contains("message_stop"),
          "nothing claims the answer is complete: " + names);
      assertEquals(70, translator.usageSoFar().inputTokens(), "the usage message-end reported");
    }));
  }

  @Test
  void should_validate_a_stream_claude_code_accepted_when_checking_the_grammar_checker() {
    AnthropicSseGrammar.assertValid(ClaudeCodeCaptures.FILES.text("cc2.1.332-sse_thinking_text_tool.txt"));
  }

  @Test
  void should_report_the_estimate_until_cohere_reports_usage() throws Exception {
    CohereStreamTranslator translator = new CohereStreamTranslator("claude", new CohereToolNames(), 7);
    assertEquals(Usage.NONE, translator.usageSoFar());

    translator.onEvent(TestJson.JSON.readTree("{\"type\":\"message-start\",\"id\":\"x\"}"));
    assertEquals(new Usage(7, 0, 0, 0), translator.usageSoFar());
    assertTrue(translator.started());

    translator.onEvent(TestJson.JSON.readTree("{\"type\":\"message-end\",\"delta\":{\"finish_reason\":"
        + "\"COMPLETE\",\"usage\":{\"tokens\":{\"input_tokens\":500,\"output_tokens\":5},\"cached_tokens\":448}}}"));
    assertEquals(new Usage(52, 5, 448, 0), translator.usageSoFar());
    assertEquals(translator.usage(), translator.usageSoFar());
  }

  @Test
  void should_emit_nothing_after_message_end() throws Exception {
    CohereStreamTranslator translator = new CohereStreamTranslator("claude", new CohereToolNames(), 1);
    translator.onEvent(TestJson.JSON.readTree("{\"type\":\"message-end\",\"delta\":{\"finish_reason\":"
        + "\"COMPLETE\"}}"));

    assertEquals(0, translator.onEvent(TestJson.JSON.readTree("{\"type\":\"content-delta\",\"delta\":"
        + "{\"message\":{\"content\":{\"text\":\"late\"}}}}")).length());
  }

  @Test
  void should_fail_instead_of_buffering_without_end_when_arguments_never_become_an_object() throws Exception {
    CohereStreamTranslator translator = new CohereStreamTranslator("claude", new CohereToolNames(), 1);
    translator.onEvent(TestJson.JSON.readTree("{\"type\":\"tool-call-start\",\"delta\":{\"message\":"
        + "{\"tool_calls\":{\"id\":\"t_1\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}}}}"));
    JsonNode fragment = TestJson.JSON.readTree("{\"type\":\"tool-call-delta\",\"delta\":{\"message\":"
        + "{\"tool_calls\":{\"function\":{\"arguments\":\"" + "x".repeat(64 * 1024) + "\"}}}}}");

    assertThrows(IllegalStateException.class, () -> {
      for (int i = 0; i <= CohereStreamTranslator.MAX_HELD_ARGUMENT_CHARS / (64 * 1024); i++) {
        translator.onEvent(fragment);
      }
    });
  }

  @Test
  void should_wrap_arguments_that_end_up_not_being_an_object() throws Exception {
    CohereStreamTranslator translator = new CohereStreamTranslator("claude", new CohereToolNames(), 1);
    StringBuilder sse = new StringBuilder();
    for (String event : new String[] {
        "{\"type\":\"tool-call-start\",\"delta\":{\"message\":{\"tool_calls\":{\"id\":\"t_1\",\"function\":"
            + "{\"name\":\"f\",\"arguments\":\"[1,\"}}}}}",
        "{\"type\":\"tool-call-delta\",\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"2]\"}}}}}",
        "{\"type\":\"tool-call-end\"}",
        "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"TOOL_CALL\"}}"}) {
      sse.append(translator.onEvent(TestJson.JSON.readTree(event)).toString(StandardCharsets.UTF_8));
    }

    AnthropicSseGrammar.assertValid(sse.toString());
    String json = SseEvent.listOf(sse.toString()).stream()
        .filter(e -> "input_json_delta".equals(e.data().path("delta").path("type").asText()))
        .map(e -> e.data().path("delta").path("partial_json").asText()).reduce("", String::concat);
    assertEquals("{\"_invalid_json_arguments\":\"[1,2]\"}", json);
  }
}
