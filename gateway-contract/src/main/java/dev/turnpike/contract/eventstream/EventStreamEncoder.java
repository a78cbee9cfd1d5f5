package dev.turnpike.contract.eventstream;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes {@link EventStreamMessage}s in the {@code application/vnd.amazon.eventstream} framing: total length and
 * headers length (u32 big-endian), the prelude's CRC32, the headers, the payload and the CRC32 of all before it.
 */
public final class EventStreamEncoder {
  /** Prelude (two lengths and its CRC) plus the trailing message CRC. */
  static final int OVERHEAD_BYTES = 16;
  static final int PRELUDE_BYTES = 12;
  static final int STRING_TYPE = 7;

  private EventStreamEncoder() {}

  /**
   * The framed bytes of {@code message}, headers as strings (type 7) in the message's order.
   *
   * @throws IllegalArgumentException when a header name is empty or over 255 UTF-8 bytes, a value is over 65535
   *     UTF-8 bytes, or the message would exceed the format's 32-bit length
   */
  public static Buffer encode(EventStreamMessage message) {
    Buffer headers = Buffer.buffer();
    for (Map.Entry<String, String> header : message.headers().entrySet()) {
      byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
      if (name.length == 0 || name.length > 0xFF) {
        throw new IllegalArgumentException("header name must be 1-255 UTF-8 bytes, was " + name.length);
      }
      if (value.length > 0xFFFF) {
        throw new IllegalArgumentException("header value must be at most 65535 UTF-8 bytes, was " + value.length);
      }
      headers.appendUnsignedByte((short) name.length).appendBytes(name)
          .appendUnsignedByte((short) STRING_TYPE).appendUnsignedShort(value.length).appendBytes(value);
    }
    long totalLength = (long) OVERHEAD_BYTES + headers.length() + message.payload().length();
    if (totalLength > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("message of " + totalLength + " bytes is too long to frame");
    }
    Buffer out = Buffer.buffer((int) totalLength)
        .appendUnsignedInt(totalLength)
        .appendUnsignedInt(headers.length());
    out.appendUnsignedInt(crc32(out));
    out.appendBuffer(headers).appendBuffer(message.payload());
    return out.appendUnsignedInt(crc32(out));
  }

  private static long crc32(Buffer bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes.getBytes());
    return crc.getValue();
  }
}
