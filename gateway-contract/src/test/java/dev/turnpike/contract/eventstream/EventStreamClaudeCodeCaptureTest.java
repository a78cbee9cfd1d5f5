package dev.turnpike.contract.eventstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Bedrock invoke stream that the real Claude Code CLI accepted (fixtures/claude-code/README.md). */
class EventStreamClaudeCodeCaptureTest {
  private static final Buffer CAPTURE = Frames.claudeCodeCapture("cc2.1.332-bedrock_eventstream.bin");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void decodesFifteenChunkEventsCarryingAWholeAnthropicStream() throws IOException {
    EventStreamDecoder decoder = new EventStreamDecoder(64 * 1024);
    List<EventStreamMessage> messages = decoder.push(CAPTURE);

    assertEquals(15, messages.size());
    assertFalse(decoder.partial());
    List<String> types = new ArrayList<>();
    for (EventStreamMessage message : messages) {
      assertEquals(List.of(":event-type", ":content-type", ":message-type"), List.copyOf(message.headers().keySet()));
      assertEquals("chunk", message.headers().get(":event-type"));
      assertEquals("application/json", message.headers().get(":content-type"));
      assertEquals("event", message.headers().get(":message-type"));
      JsonNode payload = JSON.readTree(message.payload().getBytes());
      assertTrue(payload.has("bytes") && payload.has("p"), "Bedrock's payload carries bytes and padding");
      types.add(JSON.readTree(BedrockStreamEvents.chunkBytes(message).getBytes()).get("type").asText());
    }
    assertEquals("message_start", types.get(0));
    assertEquals("message_stop", types.get(types.size() - 1));
    assertTrue(types.contains("content_block_delta"), types.toString());
  }

  @Test
  void reEncodesEachMessageToItsOriginalBytes() {
    Buffer reEncoded = Buffer.buffer();
    new EventStreamDecoder(64 * 1024).push(CAPTURE)
        .forEach(message -> reEncoded.appendBuffer(EventStreamEncoder.encode(message)));
    assertEquals(CAPTURE, reEncoded);
  }

  @Test
  void anySplitGivesTheSameMessages() {
    List<EventStreamMessage> whole = new EventStreamDecoder(64 * 1024).push(CAPTURE);
    for (int split = 1; split < CAPTURE.length(); split++) {
      EventStreamDecoder decoder = new EventStreamDecoder(64 * 1024);
      List<EventStreamMessage> messages = new ArrayList<>(decoder.push(CAPTURE.slice(0, split)));
      messages.addAll(decoder.push(CAPTURE.slice(split, CAPTURE.length())));
      assertEquals(whole, messages, "split at " + split);
      assertFalse(decoder.partial());
    }
    EventStreamDecoder byteAtATime = new EventStreamDecoder(64 * 1024);
    assertEquals(whole, Frames.pushInSteps(byteAtATime, CAPTURE, 1));
    assertFalse(byteAtATime.partial());
  }

  @Test
  void theCaptureCutShortIsPartial() {
    EventStreamDecoder decoder = new EventStreamDecoder(64 * 1024);
    List<EventStreamMessage> messages = decoder.push(CAPTURE.slice(0, CAPTURE.length() - 1));
    assertEquals(14, messages.size());
    assertTrue(decoder.partial());
  }
}
