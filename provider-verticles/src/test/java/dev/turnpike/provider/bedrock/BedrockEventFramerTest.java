package dev.turnpike.provider.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BedrockEventFramerTest {
  /** A stream Claude Code 2.1.332 accepted from Bedrock mode (fixtures/claude-code/README.md). */
  private static final Path CAPTURE = Path.of("..", "fixtures", "claude-code", "cc2.1.332-bedrock_eventstream.bin");

  private final List<String> seen = new ArrayList<>();
  private final SseParser.Listener listener = (event, data) -> seen.add(event);

  private BedrockEventFramer framer() {
    return new BedrockEventFramer(listener, 1 << 20, "bedrock");
  }

  @Test
  void should_turn_the_captured_stream_into_whole_sse_events_however_it_is_split() throws Exception {
    Buffer capture = Buffer.buffer(Files.readAllBytes(CAPTURE));
    BedrockEventFramer whole = framer();
    String expected = whole.push(capture).toString(StandardCharsets.UTF_8) + whole.end();
    List<String> types = List.copyOf(seen);
    assertEquals("message_start", types.get(0));
    assertEquals("message_stop", types.get(types.size() - 1));
    assertTrue(expected.startsWith("event: message_start\ndata: {"), expected);

    for (int cut = 1; cut < capture.length(); cut += 7) {
      seen.clear();
      BedrockEventFramer split = framer();
      String first = split.push(capture.getBuffer(0, cut)).toString(StandardCharsets.UTF_8);
      assertTrue(first.isEmpty() || first.endsWith("\n\n"), "only whole events at cut " + cut);
      String rest = split.push(capture.getBuffer(cut, capture.length())).toString(StandardCharsets.UTF_8);
      split.end();
      assertEquals(expected, first + rest, "cut at " + cut);
      assertEquals(types, seen);
      assertNull(split.failure());
    }
  }

  @Test
  void should_fail_over_on_an_exception_before_any_chunk() {
    BedrockEventFramer framer = framer();

    Buffer out = framer.push(BedrockStreamEvents.exception("throttlingException", "Too many tokens"));

    assertEquals(0, out.length());
    Failure failure = framer.failure();
    assertNotNull(failure);
    assertEquals(FailureCode.UPSTREAM_RATE_LIMITED, failure.code());
    assertTrue(failure.message().contains("Too many tokens"), failure.message());
  }

  @Test
  void should_end_with_an_anthropic_error_event_on_an_exception_after_chunks() {
    BedrockEventFramer framer = framer();
    Buffer stream = Buffer.buffer()
        .appendBuffer(BedrockStreamEvents.chunk(Buffer.buffer("{\"type\":\"message_start\",\"message\":{}}")))
        .appendBuffer(BedrockStreamEvents.exception("serviceUnavailableException", "busy"))
        .appendBuffer(BedrockStreamEvents.chunk(Buffer.buffer("{\"type\":\"ping\"}")));

    String out = framer.push(stream).toString(StandardCharsets.UTF_8);

    assertTrue(out.startsWith("event: message_start\n"), out);
    assertTrue(out.contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\""), out);
    assertTrue(out.endsWith("\n\n") && !out.contains("ping"), "nothing after the error event: " + out);
    assertEquals(List.of("message_start", "error"), seen);
    assertNull(framer.failure());
  }

  @Test
  void should_report_a_broken_frame_and_a_stream_cut_mid_message() {
    Buffer frame = BedrockStreamEvents.chunk(Buffer.buffer("{\"type\":\"message_start\",\"message\":{}}"));
    Buffer corrupt = frame.copy();
    corrupt.setByte(20, (byte) (corrupt.getByte(20) ^ 0x40));
    BedrockEventFramer broken = framer();
    broken.push(corrupt);
    assertEquals(FailureCode.UPSTREAM_ERROR, broken.failure().code());
    assertTrue(broken.failure().message().contains("broken event stream"), broken.failure().message());

    BedrockEventFramer cut = framer();
    cut.push(frame.getBuffer(0, frame.length() - 3));
    assertNull(cut.failure());
    cut.end();
    assertTrue(cut.failure().message().contains("ended inside a message"), cut.failure().message());
  }

  @Test
  void should_compact_a_pretty_printed_event_so_sse_data_stays_one_line() {
    String out = framer().push(BedrockStreamEvents.chunk(Buffer.buffer("{\n  \"type\": \"ping\"\n}")))
        .toString(StandardCharsets.UTF_8);
    assertEquals("event: ping\ndata: {\"type\":\"ping\"}\n\n", out);
  }
}
