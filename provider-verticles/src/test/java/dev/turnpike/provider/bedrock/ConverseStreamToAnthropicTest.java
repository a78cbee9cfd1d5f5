package dev.turnpike.provider.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.converse.ConverseEvent;
import dev.turnpike.contract.converse.ConverseStreamTranslator;
import dev.turnpike.provider.ClaudeCodeCaptures;
import dev.turnpike.provider.SseEvent;
import dev.turnpike.provider.TestJson;
import dev.turnpike.provider.bedrock.ConverseStreamToAnthropic.ConverseStreamException;
import dev.turnpike.provider.AnthropicSseGrammar;
import dev.turnpike.provider.openai.ToolNameMapper;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ConverseStreamToAnthropicTest {

  @TestFactory
  Stream<DynamicTest> should_match_the_golden_anthropic_stream_when_translating_a_fixture() {
    List<String> cases = ConverseFixtures.FILES.cases(".converse-stream.json");
    assertTrue(cases.size() >= 4, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      String actual = ConverseFixtures.translateStream(ConverseFixtures.eventStream(name + ".converse-stream.json"),
          new int[0], new ToolNameMapper());
      assertEquals(SseEvent.listOf(ConverseFixtures.FILES.text(name + ".anthropic-stream.txt")),
          SseEvent.listOf(actual), name);
      AnthropicSseGrammar.assertValid(actual);
    }));
  }

  @TestFactory
  Stream<DynamicTest> should_produce_identical_output_however_the_event_stream_bytes_are_split() {
    List<String> cases = ConverseFixtures.FILES.cases(".converse-stream.json");
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      byte[] stream = ConverseFixtures.eventStream(name + ".converse-stream.json");
      String whole = ConverseFixtures.translateStream(stream, new int[0], new ToolNameMapper());
      for (int cut = 1; cut < stream.length; cut++) {
        assertEquals(whole, ConverseFixtures.translateStream(stream, new int[] {cut}, new ToolNameMapper()),
            "split at byte " + cut);
      }
      int[] everyByte = new int[stream.length - 1];
      for (int i = 0; i < everyByte.length; i++) {
        everyByte[i] = i + 1;
      }
      assertEquals(whole, ConverseFixtures.translateStream(stream, everyByte, new ToolNameMapper()), "1-byte pieces");
      Random random = new Random(name.hashCode());
      for (int round = 0; round < 20; round++) {
        int[] cuts = random.ints(1 + random.nextInt(12), 1, stream.length).sorted().distinct().toArray();
        assertEquals(whole, ConverseFixtures.translateStream(stream, cuts, new ToolNameMapper()), "random cuts");
      }
    }));
  }

  /**
   * The Claude Code capture, turned into ConverseStream events by the contract's translator (the edge's direction),
   * comes back as the same Anthropic blocks, deltas, stop reason and output usage.
   */
  @Test
  void should_give_back_the_claude_code_stream_after_a_round_trip_through_converse() {
    String capture = new String(ClaudeCodeCaptures.FILES.bytes("cc2.1.332-sse_thinking_text_tool.txt"),
        StandardCharsets.UTF_8);
    ConverseStreamTranslator toConverse = new ConverseStreamTranslator();
    List<ConverseEvent> converse = new ArrayList<>();
    SseParser parser = new SseParser((event, data) -> converse.addAll(toConverse.onAnthropicEvent(event,
        Buffer.buffer(data))), 1 << 20);
    parser.feed(Buffer.buffer(capture));
    parser.end();
    ConverseStreamToAnthropic back = new ConverseStreamToAnthropic("claude-opus-5-5", new ToolNameMapper(),
        "msg_0153de2e7e6ba94818935038", 25);
    Buffer out = Buffer.buffer();
    for (ConverseEvent event : converse) {
      out.appendBuffer(back.onEvent(event.eventType(), parse(event.payload())));
    }
    out.appendBuffer(back.finish());

    List<SseEvent> expected = withoutPing(SseEvent.listOf(capture));
    List<SseEvent> actual = SseEvent.listOf(out.toString(StandardCharsets.UTF_8));
    assertEquals(expected.size(), actual.size(), out.toString(StandardCharsets.UTF_8));
    for (int i = 0; i < expected.size() - 2; i++) {
      assertEquals(expected.get(i), actual.get(i), "event " + i);
    }
    JsonNode messageDelta = actual.get(actual.size() - 2).data();
    assertEquals(expected.get(expected.size() - 2).data().path("delta"), messageDelta.path("delta"));
    assertEquals(42, messageDelta.path("usage").path("output_tokens").asInt());
    assertEquals("message_stop", actual.get(actual.size() - 1).event());
  }

  @Test
  void should_fail_a_tool_input_delta_that_no_tool_use_start_opened() {
    ConverseStreamToAnthropic translator = translator();
    translator.onEvent("messageStart", object("{\"role\":\"assistant\"}"));

    assertThrows(ConverseStreamException.class, () -> translator.onEvent("contentBlockDelta",
        object("{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"{}\"}}}")));
  }

  @Test
  void should_fail_a_delta_for_a_block_already_closed() {
    ConverseStreamToAnthropic translator = translator();
    translator.onEvent("contentBlockDelta", object("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"a\"}}"));
    translator.onEvent("contentBlockStop", object("{\"contentBlockIndex\":0}"));

    ConverseStreamException error = assertThrows(ConverseStreamException.class, () -> translator.onEvent(
        "contentBlockDelta", object("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"secret words\"}}")));
    assertFalse(error.getMessage().contains("secret"), "the message quotes no content");
  }

  @Test
  void should_report_the_input_estimate_until_bedrock_reports_usage() {
    ConverseStreamToAnthropic translator = translator();
    assertEquals(Usage.NONE, translator.usageSoFar(), "nothing before the stream started");
    translator.onEvent("messageStart", object("{\"role\":\"assistant\"}"));
    assertEquals(new Usage(ConverseFixtures.ESTIMATED_INPUT_TOKENS, 0, 0, 0), translator.usageSoFar());
    translator.onEvent("messageStop", object("{\"stopReason\":\"end_turn\"}"));
    translator.onEvent("metadata", object("{\"usage\":{\"inputTokens\":5,\"outputTokens\":6,\"totalTokens\":11}}"));

    assertEquals(new Usage(5, 6, 0, 0), translator.usageSoFar());
    assertTrue(translator.finished());
    assertEquals(0, translator.onEvent("contentBlockDelta",
        object("{\"contentBlockIndex\":9,\"delta\":{\"text\":\"late\"}}")).length(), "nothing after the end");
  }

  @Test
  void should_not_finish_a_stream_that_never_said_why_it_stopped() {
    ConverseStreamToAnthropic translator = translator();
    translator.onEvent("messageStart", object("{\"role\":\"assistant\"}"));
    translator.onEvent("contentBlockDelta", object("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"cut\"}}"));

    assertEquals(0, translator.finish().length());
    assertFalse(translator.finished());
  }

  private static ConverseStreamToAnthropic translator() {
    return new ConverseStreamToAnthropic(ConverseFixtures.CLIENT_MODEL, new ToolNameMapper(),
        ConverseFixtures.MESSAGE_ID, ConverseFixtures.ESTIMATED_INPUT_TOKENS);
  }

  private static ObjectNode object(String json) {
    return (ObjectNode) parse(Buffer.buffer(json));
  }

  private static JsonNode parse(Buffer json) {
    try {
      return TestJson.JSON.readTree(json.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<SseEvent> withoutPing(List<SseEvent> events) {
    return events.stream().filter(e -> !"ping".equals(e.event())).toList();
  }
}
