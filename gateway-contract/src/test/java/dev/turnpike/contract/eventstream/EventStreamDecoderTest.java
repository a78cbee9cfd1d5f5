package dev.turnpike.contract.eventstream;

import static dev.turnpike.contract.eventstream.Frames.flip;
import static dev.turnpike.contract.eventstream.Frames.frame;
import static dev.turnpike.contract.eventstream.Frames.header;
import static dev.turnpike.contract.eventstream.Frames.prelude;
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

class EventStreamDecoderTest {
  private static final int MAX = 64 * 1024;
  private static final String SECRET_PAYLOAD = "payload-that-must-not-leak";

  @Test
  void decodesEveryHeaderTypeInWireOrder() {
    Buffer headers = Buffer.buffer()
        .appendBuffer(header("t", 0, Buffer.buffer()))
        .appendBuffer(header("f", 1, Buffer.buffer()))
        .appendBuffer(header("byte", 2, Buffer.buffer().appendByte((byte) -7)))
        .appendBuffer(header("short", 3, Buffer.buffer().appendShort((short) -300)))
        .appendBuffer(header("int", 4, Buffer.buffer().appendInt(40972)))
        .appendBuffer(header("long", 5, Buffer.buffer().appendLong(-5_000_000_000L)))
        .appendBuffer(header("bytes", 6, Buffer.buffer().appendUnsignedShort(3).appendBytes(new byte[] {1, 2, 3})))
        .appendBuffer(header("string", 7, stringValue("héllo")))
        .appendBuffer(header("time", 8, Buffer.buffer().appendLong(1_700_000_000_123L)))
        .appendBuffer(header("uuid", 9, Buffer.buffer().appendLong(0x0011223344556677L)
            .appendLong(0x8899aabbccddeeffL)));
    List<EventStreamMessage> messages = new EventStreamDecoder(MAX).push(frame(headers, Buffer.buffer("{}")));

    assertEquals(1, messages.size());
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("t", "true");
    expected.put("f", "false");
    expected.put("byte", "-7");
    expected.put("short", "-300");
    expected.put("int", "40972");
    expected.put("long", "-5000000000");
    expected.put("bytes", "AQID");
    expected.put("string", "héllo");
    expected.put("time", "2023-11-14T22:13:20.123Z");
    expected.put("uuid", "00112233-4455-6677-8899-aabbccddeeff");
    assertEquals(List.copyOf(expected.entrySet()), List.copyOf(messages.get(0).headers().entrySet()));
    assertEquals(Buffer.buffer("{}"), messages.get(0).payload());
  }

  @Test
  void decodesAnEmptyPayloadAndAnEmptyMessage() {
    EventStreamDecoder decoder = new EventStreamDecoder(MAX);
    Buffer twoFrames = frame(header("k", 7, stringValue("v")), Buffer.buffer())
        .appendBuffer(frame(Buffer.buffer(), Buffer.buffer()));
    List<EventStreamMessage> messages = decoder.push(twoFrames);

    assertEquals(2, messages.size());
    assertEquals(Map.of("k", "v"), messages.get(0).headers());
    assertEquals(0, messages.get(0).payload().length());
    assertEquals(Map.of(), messages.get(1).headers());
    assertEquals(0, messages.get(1).payload().length());
    assertFalse(decoder.partial());
  }

  @Test
  void refusesAFlippedPreludeCrc() {
    Buffer good = frame(Buffer.buffer(), Buffer.buffer(SECRET_PAYLOAD));
    EventStreamException e = assertThrows(EventStreamException.class,
        () -> new EventStreamDecoder(MAX).push(flip(good, 9)));
    assertTrue(e.getMessage().contains("prelude CRC"), e.getMessage());
  }

  @Test
  void refusesAFlippedMessageCrcOrPayloadWithoutQuotingThePayload() {
    Buffer good = frame(header("k", 7, stringValue("v")), Buffer.buffer(SECRET_PAYLOAD));
    for (int index : new int[] {good.length() - 1, good.length() - 10}) {
      EventStreamException e = assertThrows(EventStreamException.class,
          () -> new EventStreamDecoder(MAX).push(flip(good, index)));
      assertTrue(e.getMessage().contains("message CRC"), e.getMessage());
      assertFalse(e.getMessage().contains("payload-that"), e.getMessage());
    }
  }

  @Test
  void refusesALengthOverTheMaximumFromThePreludeAlone() {
    EventStreamDecoder decoder = new EventStreamDecoder(1024);
    // Only the prelude arrives: the decoder must judge the length before any payload comes, not after.
    EventStreamException e = assertThrows(EventStreamException.class, () -> decoder.push(prelude(1025, 0)));
    assertTrue(e.getMessage().contains("1025"), e.getMessage());
    assertTrue(new EventStreamDecoder(1024).push(prelude(1024, 0)).isEmpty(), "the maximum itself is accepted");
    assertThrows(EventStreamException.class, () -> new EventStreamDecoder(MAX).push(prelude(-1, 0)),
        "an unsigned length of 4 GiB is over any maximum");
  }

  @Test
  void refusesATotalLengthUnderSixteenAndHeadersThatDoNotFit() {
    assertThrows(EventStreamException.class, () -> new EventStreamDecoder(MAX).push(prelude(15, 0)));
    EventStreamException e = assertThrows(EventStreamException.class,
        () -> new EventStreamDecoder(MAX).push(prelude(20, 5)));
    assertTrue(e.getMessage().contains("headers length"), e.getMessage());
    assertTrue(new EventStreamDecoder(MAX).push(prelude(20, 4)).isEmpty(), "headers filling the body are fine");
  }

  @Test
  void refusesMalformedHeaders() {
    Map<String, Buffer> cases = new LinkedHashMap<>();
    cases.put("unknown value type", header("k", 10, Buffer.buffer()));
    cases.put("string past the section", header("k", 7, Buffer.buffer().appendUnsignedShort(5).appendString("ab")));
    cases.put("int past the section", header("k", 4, Buffer.buffer().appendShort((short) 1)));
    cases.put("name past the section", Buffer.buffer().appendUnsignedByte((short) 9).appendString("ab"));
    cases.put("empty name", header("", 0, Buffer.buffer()));
    cases.put("bad UTF-8", header("k", 7, Buffer.buffer().appendUnsignedShort(1).appendByte((byte) 0xff)));
    cases.put("repeated name", header("k", 0, Buffer.buffer()).appendBuffer(header("k", 1, Buffer.buffer())));
    cases.forEach((name, headers) -> {
      EventStreamException e = assertThrows(EventStreamException.class,
          () -> new EventStreamDecoder(MAX).push(frame(headers, Buffer.buffer(SECRET_PAYLOAD))), name);
      assertTrue(e.getMessage().contains("header #"), name + ": " + e.getMessage());
      assertFalse(e.getMessage().contains("payload-that"), name);
    });
  }

  @Test
  void staysFailedAfterAnError() {
    EventStreamDecoder decoder = new EventStreamDecoder(MAX);
    Buffer good = frame(Buffer.buffer(), Buffer.buffer("x"));
    assertThrows(EventStreamException.class, () -> decoder.push(flip(good, good.length() - 1)));
    EventStreamException again = assertThrows(EventStreamException.class, () -> decoder.push(good));
    assertTrue(again.getMessage().contains("message CRC"), again.getMessage());
  }

  @Test
  void reportsAStreamCutMidMessageAsPartial() {
    Buffer good = frame(header("k", 7, stringValue("v")), Buffer.buffer("payload"));
    for (int cut = 1; cut < good.length(); cut++) {
      EventStreamDecoder decoder = new EventStreamDecoder(MAX);
      assertTrue(decoder.push(good.slice(0, cut)).isEmpty());
      assertTrue(decoder.partial(), "cut at " + cut);
    }
    EventStreamDecoder decoder = new EventStreamDecoder(MAX);
    assertFalse(decoder.partial());
    assertEquals(1, decoder.push(good).size());
    assertFalse(decoder.partial());
  }

  @Test
  void rejectsAMaximumBelowAnEmptyMessage() {
    assertThrows(IllegalArgumentException.class, () -> new EventStreamDecoder(15));
  }
}
