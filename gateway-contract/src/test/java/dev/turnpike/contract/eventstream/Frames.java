package dev.turnpike.contract.eventstream;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/** Test-side framing written straight from the format's description, so it does not lean on the encoder. */
final class Frames {
  private Frames() {}

  /** A frame with correct lengths and CRCs around raw header bytes and a payload. */
  static Buffer frame(Buffer headers, Buffer payload) {
    Buffer out = Buffer.buffer()
        .appendInt(16 + headers.length() + payload.length())
        .appendInt(headers.length());
    out.appendUnsignedInt(crc(out));
    out.appendBuffer(headers).appendBuffer(payload);
    return out.appendUnsignedInt(crc(out));
  }

  /** A prelude claiming {@code totalLength} and {@code headersLength}, with its own CRC right. */
  static Buffer prelude(int totalLength, int headersLength) {
    Buffer out = Buffer.buffer().appendInt(totalLength).appendInt(headersLength);
    return out.appendUnsignedInt(crc(out));
  }

  /** One header's bytes: name length, name, type and the already-encoded value. */
  static Buffer header(String name, int type, Buffer value) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer().appendUnsignedByte((short) nameBytes.length).appendBytes(nameBytes)
        .appendUnsignedByte((short) type).appendBuffer(value);
  }

  static Buffer stringValue(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer().appendUnsignedShort(bytes.length).appendBytes(bytes);
  }

  static Buffer flip(Buffer bytes, int index) {
    Buffer copy = bytes.copy();
    copy.setByte(index, (byte) (copy.getByte(index) ^ 0x01));
    return copy;
  }

  static long crc(Buffer bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes.getBytes());
    return crc.getValue();
  }

  /** Everything {@code decoder} yields when fed {@code bytes} in pieces of {@code step} bytes. */
  static List<EventStreamMessage> pushInSteps(EventStreamDecoder decoder, Buffer bytes, int step) {
    List<EventStreamMessage> out = new ArrayList<>();
    for (int at = 0; at < bytes.length(); at += step) {
      out.addAll(decoder.push(bytes.slice(at, Math.min(at + step, bytes.length()))));
    }
    return out;
  }

  /** A file of the repository's {@code fixtures/claude-code}, found from the module's directory upwards. */
  static Buffer claudeCodeCapture(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("fixtures/claude-code").resolve(name);
      if (Files.isRegularFile(candidate)) {
        try {
          return Buffer.buffer(Files.readAllBytes(candidate));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("no fixtures/claude-code/" + name + " above " + Path.of("").toAbsolutePath());
  }

  static Buffer resource(String path) {
    try (InputStream in = Frames.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + path);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
