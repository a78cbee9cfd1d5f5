package dev.turnpike.edge;

import dev.turnpike.contract.ExchangeRecord;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * A request's body and the bytes of its answer, each cut at {@code maxBytes}, for a request log that keeps
 * content. Created only when content logging is on, so the common request copies nothing. What is kept is what
 * the client sent and got; credentials travel in headers, which are never kept.
 */
final class ContentCapture {
  private final int maxBytes;
  private String request = "";
  private final Buffer answer = Buffer.buffer();
  private boolean truncated;

  ContentCapture(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  void request(Buffer body) {
    truncated |= body.length() > maxBytes;
    request = text(body.getBytes(0, Math.min(body.length(), maxBytes)));
  }

  void answer(Buffer bytes) {
    int room = maxBytes - answer.length();
    if (room <= 0) {
      truncated |= bytes.length() > 0;
      return;
    }
    if (bytes.length() > room) {
      truncated = true;
      answer.appendBuffer(bytes, 0, room);
    } else {
      answer.appendBuffer(bytes);
    }
  }

  ExchangeRecord.Content toContent() {
    return new ExchangeRecord.Content(request, text(answer.getBytes()), truncated);
  }

  /** UTF-8, a character cut in half at the cap dropped rather than shown as garbage. */
  private static String text(byte[] bytes) {
    int end = bytes.length;
    int back = 0;
    while (back < 3 && end - back > 0 && (bytes[end - back - 1] & 0xC0) == 0x80) {
      back++;
    }
    if (end - back > 0) {
      int lead = bytes[end - back - 1] & 0xFF;
      int needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
      if (needed > back) {
        end = end - back - 1;
      }
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
