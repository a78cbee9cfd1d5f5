package dev.turnpike.contract.eventstream;

import static dev.turnpike.contract.eventstream.Frames.frame;
import static dev.turnpike.contract.eventstream.Frames.header;
import static dev.turnpike.contract.eventstream.Frames.stringValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventStreamEncoderTest {
  @Test
  void writesStringHeadersInInsertionOrder() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("zeta", "1");
    headers.put("alpha", "ünïcode");
    Buffer encoded = EventStreamEncoder.encode(new EventStreamMessage(headers, Buffer.buffer("body")));

    Buffer expectedHeaders = header("zeta", 7, stringValue("1")).appendBuffer(header("alpha", 7, stringValue("ünïcode")));
    assertEquals(frame(expectedHeaders, Buffer.buffer("body")), encoded);
  }

  @Test
  void roundTripsThroughTheDecoder() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":message-type", "event");
    headers.put(":event-type", "chunk");
    EventStreamMessage message = new EventStreamMessage(headers, Buffer.buffer(new byte[] {0, (byte) 0xff, 7}));
    List<EventStreamMessage> decoded = new EventStreamDecoder(1024).push(EventStreamEncoder.encode(message));
    assertEquals(List.of(message), decoded);
    assertEquals(List.copyOf(headers.keySet()), List.copyOf(decoded.get(0).headers().keySet()));
  }

  @Test
  void refusesHeadersTheFormatCannotHold() {
    assertThrows(IllegalArgumentException.class,
        () -> EventStreamEncoder.encode(new EventStreamMessage(Map.of("", "v"), Buffer.buffer())));
    assertThrows(IllegalArgumentException.class,
        () -> EventStreamEncoder.encode(new EventStreamMessage(Map.of("n".repeat(256), "v"), Buffer.buffer())));
    assertThrows(IllegalArgumentException.class,
        () -> EventStreamEncoder.encode(new EventStreamMessage(Map.of("n", "v".repeat(65536)), Buffer.buffer())));
    assertEquals(16 + 1 + 255 + 1 + 2 + 65535, EventStreamEncoder.encode(
        new EventStreamMessage(Map.of("n".repeat(255), "v".repeat(65535)), Buffer.buffer())).length());
  }

  @Test
  void messageIsAValueThatKeepsItsOwnCopyAndHidesThePayloadFromToString() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("k", "v");
    Buffer payload = Buffer.buffer("secret-ish model output");
    EventStreamMessage message = new EventStreamMessage(headers, payload);
    headers.put("later", "x");
    payload.setByte(0, (byte) 'X');

    assertEquals(Map.of("k", "v"), message.headers());
    assertEquals(Buffer.buffer("secret-ish model output"), message.payload());
    assertThrows(UnsupportedOperationException.class, () -> message.headers().put("a", "b"));
    assertFalse(message.toString().contains("model output"), message.toString());
    assertTrue(message.toString().contains("23 bytes"), message.toString());
  }
}
