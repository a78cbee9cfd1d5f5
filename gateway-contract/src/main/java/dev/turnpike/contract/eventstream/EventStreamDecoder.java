package dev.turnpike.contract.eventstream;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Reads {@code application/vnd.amazon.eventstream} messages from bytes as they arrive, however they are split.
 *
 * <p>It holds at most one message: the 12-byte prelude is checked (its CRC, then the lengths against
 * {@code maxMessageBytes}) before any room is taken for the rest, so a bad or hostile length costs nothing. Header
 * values of every wire type are rendered as strings as {@link EventStreamMessage} describes. The first error is
 * final: every later {@link #push} throws again, since the framing cannot be found again after a bad length.
 *
 * <p>Not thread-safe: one decoder per stream, fed from its context.
 */
public final class EventStreamDecoder {
  private static final int PRELUDE_BYTES = EventStreamEncoder.PRELUDE_BYTES;
  private static final int OVERHEAD_BYTES = EventStreamEncoder.OVERHEAD_BYTES;

  private final int maxMessageBytes;
  private final byte[] prelude = new byte[PRELUDE_BYTES];
  private int preludeFilled;
  /** The message being read, prelude included; null until its prelude has been checked. */
  private byte[] message;
  private int messageFilled;
  private String failure;

  /**
   * @param maxMessageBytes the largest total_length accepted (at least 16, the size of an empty message)
   */
  public EventStreamDecoder(int maxMessageBytes) {
    if (maxMessageBytes < OVERHEAD_BYTES) {
      throw new IllegalArgumentException("maxMessageBytes must be at least " + OVERHEAD_BYTES);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Consumes {@code bytes} and returns every message they complete, in order (often none).
   *
   * @throws EventStreamException on a prelude or message CRC mismatch, a total_length under 16 or over
   *     maxMessageBytes, a headers_length that does not fit, or a malformed header; and on every call after one
   */
  public List<EventStreamMessage> push(Buffer bytes) {
    if (failure != null) {
      throw new EventStreamException("event stream already failed: " + failure);
    }
    try {
      return consume(bytes);
    } catch (EventStreamException e) {
      failure = e.getMessage();
      message = null;
      preludeFilled = 0;
      throw e;
    }
  }

  /**
   * Whether bytes of an unfinished message are held: at the end of the stream, it was cut mid-message. False once
   * the decoder has failed (what it held was dropped).
   */
  public boolean partial() {
    return preludeFilled > 0 || message != null;
  }

  private List<EventStreamMessage> consume(Buffer bytes) {
    List<EventStreamMessage> completed = new ArrayList<>();
    int offset = 0;
    int length = bytes.length();
    while (offset < length) {
      if (message == null) {
        int take = Math.min(PRELUDE_BYTES - preludeFilled, length - offset);
        bytes.getBytes(offset, offset + take, prelude, preludeFilled);
        preludeFilled += take;
        offset += take;
        if (preludeFilled == PRELUDE_BYTES) {
          startMessage();
        }
      } else {
        int take = Math.min(message.length - messageFilled, length - offset);
        bytes.getBytes(offset, offset + take, message, messageFilled);
        messageFilled += take;
        offset += take;
      }
      if (message != null && messageFilled == message.length) {
        completed.add(finishMessage());
      }
    }
    return completed;
  }

  private void startMessage() {
    ByteBuffer fields = ByteBuffer.wrap(prelude);
    long totalLength = Integer.toUnsignedLong(fields.getInt(0));
    long headersLength = Integer.toUnsignedLong(fields.getInt(4));
    long preludeCrc = Integer.toUnsignedLong(fields.getInt(8));
    long computed = crc32(prelude, 0, 8);
    if (computed != preludeCrc) {
      throw new EventStreamException("event stream prelude CRC mismatch: expected " + hex(preludeCrc)
          + ", computed " + hex(computed));
    }
    if (totalLength < OVERHEAD_BYTES || totalLength > maxMessageBytes) {
      throw new EventStreamException("event stream message length " + totalLength + " is outside "
          + OVERHEAD_BYTES + ".." + maxMessageBytes);
    }
    if (headersLength > totalLength - OVERHEAD_BYTES) {
      throw new EventStreamException("event stream headers length " + headersLength
          + " does not fit a message of " + totalLength + " bytes");
    }
    message = new byte[(int) totalLength];
    System.arraycopy(prelude, 0, message, 0, PRELUDE_BYTES);
    messageFilled = PRELUDE_BYTES;
  }

  private EventStreamMessage finishMessage() {
    byte[] bytes = message;
    message = null;
    preludeFilled = 0;
    int crcAt = bytes.length - 4;
    long expected = Integer.toUnsignedLong(ByteBuffer.wrap(bytes).getInt(crcAt));
    long computed = crc32(bytes, 0, crcAt);
    if (computed != expected) {
      throw new EventStreamException("event stream message CRC mismatch: expected " + hex(expected)
          + ", computed " + hex(computed));
    }
    int headersEnd = PRELUDE_BYTES + ByteBuffer.wrap(bytes).getInt(4);
    Map<String, String> headers = new HeaderReader(bytes, PRELUDE_BYTES, headersEnd).readAll();
    Buffer payload = Buffer.buffer(crcAt - headersEnd).appendBytes(bytes, headersEnd, crcAt - headersEnd);
    return new EventStreamMessage(headers, payload);
  }

  private static long crc32(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }

  private static String hex(long crc) {
    return String.format("0x%08x", crc);
  }

  /** Walks one message's headers section; every read is checked against the section's end. */
  private static final class HeaderReader {
    private final ByteBuffer in;
    private final int end;

    HeaderReader(byte[] bytes, int start, int end) {
      this.in = ByteBuffer.wrap(bytes);
      this.in.position(start);
      this.end = end;
    }

    Map<String, String> readAll() {
      Map<String, String> headers = new LinkedHashMap<>();
      while (in.position() < end) {
        int index = headers.size();
        int nameLength = Byte.toUnsignedInt(take(1, index).get());
        if (nameLength == 0) {
          throw malformed(index, "has an empty name");
        }
        String name = utf8(take(nameLength, index), index);
        int type = Byte.toUnsignedInt(take(1, index).get());
        String value = value(type, index);
        if (headers.putIfAbsent(name, value) != null) {
          throw malformed(index, "repeats an earlier header's name");
        }
      }
      return headers;
    }

    private String value(int type, int index) {
      return switch (type) {
        case 0 -> "true";
        case 1 -> "false";
        case 2 -> Byte.toString(take(1, index).get());
        case 3 -> Short.toString(take(2, index).getShort());
        case 4 -> Integer.toString(take(4, index).getInt());
        case 5 -> Long.toString(take(8, index).getLong());
        case 6 -> Base64.getEncoder().encodeToString(bytes(take(length(index), index)));
        case 7 -> utf8(take(length(index), index), index);
        case 8 -> Instant.ofEpochMilli(take(8, index).getLong()).toString();
        case 9 -> {
          ByteBuffer uuid = take(16, index);
          yield new UUID(uuid.getLong(), uuid.getLong()).toString();
        }
        default -> throw malformed(index, "has unknown value type " + type);
      };
    }

    private int length(int index) {
      return Short.toUnsignedInt(take(2, index).getShort());
    }

    /** The next {@code count} bytes as their own big-endian view, moving past them. */
    private ByteBuffer take(int count, int index) {
      if (end - in.position() < count) {
        throw malformed(index, "runs past the end of the headers section");
      }
      ByteBuffer slice = in.slice();
      slice.limit(count);
      in.position(in.position() + count);
      return slice;
    }

    private static byte[] bytes(ByteBuffer slice) {
      byte[] out = new byte[slice.remaining()];
      slice.get(out);
      return out;
    }

    private static String utf8(ByteBuffer slice, int index) {
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(slice).toString();
      } catch (CharacterCodingException e) {
        throw malformed(index, "is not valid UTF-8");
      }
    }

    private static EventStreamException malformed(int index, String problem) {
      return new EventStreamException("event stream header #" + index + " " + problem);
    }
  }
}
