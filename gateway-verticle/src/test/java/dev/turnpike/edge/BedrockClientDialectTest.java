package dev.turnpike.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import dev.turnpike.contract.eventstream.EventStreamDecoder;
import dev.turnpike.contract.eventstream.EventStreamMessage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic frames re-framed as Bedrock's event stream, decoded back with the contract's decoder. */
class BedrockClientDialectTest {
  /** The Anthropic stream Claude Code 2.1.332 accepted (thinking, text, a Bash tool call). */
  private static final String SSE_CAPTURE = "cc2.1.332-sse_thinking_text_tool.txt";
  /** The same answer as a Bedrock event stream Claude Code 2.1.332 accepted. */
  private static final String BEDROCK_CAPTURE = "cc2.1.332-bedrock_eventstream.bin";

  private final BedrockClientDialect streaming = new BedrockClientDialect(BedrockClientDialect.Mode.INVOKE_STREAM);

  @Test
  void should_carry_each_anthropic_event_of_a_frame_in_one_chunk_whatever_the_frames_hold() throws Exception {
    List<SseEvents.Event> events = SseEvents.split(ClaudeCodeCaptures.bytes(SSE_CAPTURE));
    List<Buffer> expected = events.stream().filter(e -> !e.name().equals("ping")).map(SseEvents.Event::data)
        .toList();
    // Frames of one, two and three whole events, as a provider may send them.
    for (int perFrame = 1; perFrame <= 3; perFrame++) {
      Buffer written = Buffer.buffer();
      for (int i = 0; i < events.size(); i += perFrame) {
        Buffer frame = Buffer.buffer();
        for (int j = i; j < Math.min(events.size(), i + perFrame); j++) {
          frame.appendString("event: " + events.get(j).name() + "\ndata: ").appendBuffer(events.get(j).data())
              .appendString("\n\n");
        }
        written.appendBuffer(streaming.data(frame, true));
      }

      List<Buffer> carried = new ArrayList<>();
      for (EventStreamMessage message : new EventStreamDecoder(1 << 20).push(written)) {
        carried.add(BedrockStreamEvents.chunkBytes(message));
      }
      assertEquals(expected, carried, perFrame + " events a frame");
    }
  }

  @Test
  void should_send_the_event_types_of_the_bedrock_stream_claude_code_accepted() throws Exception {
    List<String> accepted = new ArrayList<>();
    for (EventStreamMessage message : new EventStreamDecoder(1 << 20).push(
        ClaudeCodeCaptures.bytes(BEDROCK_CAPTURE))) {
      accepted.add(new JsonObject(BedrockStreamEvents.chunkBytes(message)).getString("type"));
    }

    List<String> sent = new ArrayList<>();
    for (EventStreamMessage message : new EventStreamDecoder(1 << 20).push(
        streaming.data(ClaudeCodeCaptures.bytes(SSE_CAPTURE), true))) {
      assertEquals("event", message.headers().get(BedrockStreamEvents.MESSAGE_TYPE));
      assertEquals("chunk", message.headers().get(BedrockStreamEvents.EVENT_TYPE));
      sent.add(new JsonObject(BedrockStreamEvents.chunkBytes(message)).getString("type"));
    }
    assertEquals(accepted, sent);
  }

  @Test
  void should_turn_an_upstream_error_event_into_the_matching_exception_with_its_message() {
    Buffer frame = Buffer.buffer("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
        + "\n\n");

    List<EventStreamMessage> messages = new EventStreamDecoder(1 << 20).push(streaming.data(frame, true));

    assertEquals(2, messages.size());
    assertEquals("chunk", messages.get(0).headers().get(BedrockStreamEvents.EVENT_TYPE));
    EventStreamMessage error = messages.get(1);
    assertEquals("exception", error.headers().get(BedrockStreamEvents.MESSAGE_TYPE));
    assertEquals("serviceUnavailableException", error.headers().get(BedrockStreamEvents.EXCEPTION_TYPE));
    assertEquals("Overloaded", new JsonObject(error.payload()).getString("message"));
  }

  @Test
  void should_end_a_stream_cut_short_with_an_exception_named_for_the_cause() {
    for (var expected : List.of(
        new Object[] {FailureCode.UPSTREAM_TIMEOUT, "modelTimeoutException"},
        new Object[] {FailureCode.UPSTREAM_RATE_LIMITED, "throttlingException"},
        new Object[] {FailureCode.UPSTREAM_ERROR, "modelStreamErrorException"},
        new Object[] {FailureCode.OVERLOADED, "serviceUnavailableException"})) {
      Failure cause = Failure.of((FailureCode) expected[0], "Provider 'anthropic' stopped: a reason");

      EventStreamMessage message = new EventStreamDecoder(1 << 20).push(streaming.streamError(cause)).get(0);

      assertEquals("exception", message.headers().get(BedrockStreamEvents.MESSAGE_TYPE));
      assertEquals(expected[1], message.headers().get(BedrockStreamEvents.EXCEPTION_TYPE));
      assertEquals(cause.message(), new JsonObject(message.payload()).getString("message"));
    }
  }

  @Test
  void should_set_the_event_stream_content_type_and_the_request_id_only_for_an_event_stream() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "text/event-stream; charset=utf-8")
        .add(ClientResponses.REQUEST_ID, "req-1");
    streaming.head(headers, true);
    assertEquals(BedrockClientDialect.EVENT_STREAM, headers.get("content-type"));
    assertEquals("req-1", headers.get(BedrockClientDialect.REQUEST_ID));

    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    new BedrockClientDialect(BedrockClientDialect.Mode.INVOKE).head(json, false);
    assertEquals("application/json", json.get("content-type"));
  }

  @Test
  void should_answer_invoke_with_the_message_json_as_it_is() throws Exception {
    BedrockClientDialect invoke = new BedrockClientDialect(BedrockClientDialect.Mode.INVOKE);
    Buffer message = ClaudeCodeCaptures.bytes("cc2.1.332-nonstream_message.json");

    assertSame(message, invoke.data(message, false));
    assertNull(invoke.end());
  }

  @Test
  void should_answer_count_tokens_as_bedrock_however_the_anthropic_answer_is_cut() {
    BedrockClientDialect counting = new BedrockClientDialect(BedrockClientDialect.Mode.COUNT_TOKENS);

    assertEquals(0, counting.data(Buffer.buffer("{\"input_to"), false).length());
    assertEquals(0, counting.data(Buffer.buffer("kens\":4242}"), false).length());

    assertEquals(new JsonObject().put("inputTokens", 4242), new JsonObject(counting.end()));
  }

  @Test
  void should_fail_the_attempt_on_a_count_answer_without_a_count_or_too_large_to_hold() {
    BedrockClientDialect noCount = new BedrockClientDialect(BedrockClientDialect.Mode.COUNT_TOKENS);
    noCount.data(Buffer.buffer("{\"tokens\":1}"), false);
    assertEquals(FailureCode.UPSTREAM_ERROR, assertThrows(Failure.FailureException.class, noCount::end)
        .failure().code());

    BedrockClientDialect huge = new BedrockClientDialect(BedrockClientDialect.Mode.COUNT_TOKENS);
    Buffer piece = Buffer.buffer(" ".repeat(BedrockClientDialect.MAX_COUNT_ANSWER_BYTES / 2 + 1)
        .getBytes(StandardCharsets.US_ASCII));
    huge.data(piece, false);
    assertEquals(FailureCode.UPSTREAM_ERROR, assertThrows(Failure.FailureException.class,
        () -> huge.data(piece, false)).failure().code());
  }

  @Test
  void should_drop_what_an_abandoned_attempt_left_held() {
    BedrockClientDialect counting = new BedrockClientDialect(BedrockClientDialect.Mode.COUNT_TOKENS);
    counting.data(Buffer.buffer("{\"input_tokens\":"), false); // the attempt failed here; another one answers

    counting.attemptStarted();
    counting.data(Buffer.buffer("{\"input_tokens\":7}"), false);

    assertEquals(new JsonObject().put("inputTokens", 7), new JsonObject(counting.end()));
  }

  @Test
  void should_give_an_error_the_status_of_its_bedrock_exception() {
    assertEquals(429, streaming.errorStatus(Failure.of(FailureCode.UPSTREAM_RATE_LIMITED, "slow down")));
    assertEquals(424, streaming.errorStatus(Failure.of(FailureCode.UPSTREAM_ERROR, "boom")));
    assertEquals(503, streaming.errorStatus(Failure.of(FailureCode.OVERLOADED, "busy")));
  }
}
