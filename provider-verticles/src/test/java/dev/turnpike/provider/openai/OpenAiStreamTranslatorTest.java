package dev.turnpike.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
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

class OpenAiStreamTranslatorTest {

  @TestFactory
  Stream<DynamicTest> should_match_golden_anthropic_stream_when_translating_fixture() {
    List<String> cases = Fixtures.FILES.cases(".openai-stream.txt");
    assertTrue(cases.size() >= 8, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      String expected = Fixtures.FILES.text(name + ".anthropic-stream.txt");
      String actual = Fixtures.translateStream(
          Fixtures.FILES.bytes(name + ".openai-stream.txt"), new int[0], Fixtures.namesFor(name));
      assertEquals(SseEvent.listOf(expected), SseEvent.listOf(actual), name);
      AnthropicSseGrammar.assertValid(actual);
    }));
  }

  @TestFactory
  Stream<DynamicTest> should_produce_identical_output_when_upstream_chunks_split_anywhere() {
    return Fixtures.FILES.cases(".openai-stream.txt").stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      byte[] stream = Fixtures.FILES.bytes(name + ".openai-stream.txt");
      String whole = Fixtures.translateStream(stream, new int[0], Fixtures.namesFor(name));
      for (int cut = 1; cut < stream.length; cut++) {
        assertEquals(whole, Fixtures.translateStream(stream, new int[] {cut}, Fixtures.namesFor(name)),
            "split at byte " + cut);
      }
      int[] everyByte = new int[stream.length - 1];
      for (int i = 0; i < everyByte.length; i++) {
        everyByte[i] = i + 1;
      }
      assertEquals(whole, Fixtures.translateStream(stream, everyByte, Fixtures.namesFor(name)), "1-byte chunks");
      Random random = new Random(name.hashCode());
      for (int round = 0; round < 20; round++) {
        int[] cuts = random.ints(1 + random.nextInt(12), 1, stream.length).sorted().distinct().toArray();
        assertEquals(whole, Fixtures.translateStream(stream, cuts, Fixtures.namesFor(name)), "random cuts");
      }
    }));
  }

  @Test
  void should_validate_a_stream_claude_code_accepted_when_checking_the_grammar_checker() {
    String accepted = new String(ClaudeCodeCaptures.FILES.bytes("cc2.1.332-sse_thinking_text_tool.txt"),
        StandardCharsets.UTF_8);
    AnthropicSseGrammar.assertValid(accepted);
  }

  @Test
  void should_emit_a_complete_empty_message_when_upstream_sent_nothing() {
    OpenAiStreamTranslator translator = new OpenAiStreamTranslator("claude", new ToolNameMapper(), 7);
    assertFalse(translator.started());
    String sse = translator.finish().toString(StandardCharsets.UTF_8);
    assertTrue(translator.started());
    AnthropicSseGrammar.assertValid(sse);
    List<SseEvent> events = SseEvent.listOf(sse);
    assertEquals(List.of("message_start", "message_delta", "message_stop"),
        events.stream().map(SseEvent::event).toList());
    assertEquals(7, events.get(0).data().path("message").path("usage").path("input_tokens").asInt());
    assertEquals("end_turn", events.get(1).data().path("delta").path("stop_reason").asText());
    assertEquals(Usage.NONE, translator.usage());
  }

  @Test
  void should_emit_nothing_more_when_finish_is_called_twice_or_chunks_come_after_it() throws Exception {
    OpenAiStreamTranslator translator = new OpenAiStreamTranslator("claude", new ToolNameMapper(), 1);
    translator.finish();
    assertEquals(0, translator.finish().length());
    assertEquals(0, translator.onChunk(TestJson.JSON.readTree(
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"late\"}}]}")).length());
  }

  @Test
  void should_report_upstream_usage_when_the_usage_chunk_arrived() {
    ToolNameMapper names = new ToolNameMapper();
    OpenAiStreamTranslator translator = new OpenAiStreamTranslator("claude", names, 1);
    SseEvent.listOf(Fixtures.FILES.text("cached-usage.openai-stream.txt")).stream()
        .filter(e -> e.data().isObject())
        .forEach(e -> translator.onChunk(e.data()));
    assertEquals(new Usage(86, 300, 1920, 0), translator.usage());
  }

  @Test
  void should_write_an_anthropic_error_event_when_a_failure_ends_the_stream() {
    String sse = OpenAiStreamTranslator.errorEvent(
        Failure.of(FailureCode.UPSTREAM_OVERLOADED, "Upstream answered HTTP 503")).toString(StandardCharsets.UTF_8);
    assertEquals("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
        + "\"message\":\"Upstream answered HTTP 503\"}}\n\n", sse);
  }
}
