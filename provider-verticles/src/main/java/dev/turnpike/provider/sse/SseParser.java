package dev.turnpike.provider.sse;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental {@code text/event-stream} parser (WHATWG HTML, "Interpreting an event stream"). Chunks may split
 * anywhere: lines are cut on bytes and decoded only once complete, which is safe because {@code \r} and
 * {@code \n} never occur inside a multi-byte UTF-8 sequence. Each byte is looked at once.
 *
 * <p>Only {@code event} and {@code data} matter to Turnpike; {@code id}, {@code retry}, unknown fields and
 * comments are ignored. An event without any {@code data} line is not dispatched, as the spec says.
 */
public final class SseParser {

  @FunctionalInterface
  public interface Listener {
    /** {@code event} is null when the event had no {@code event:} line; data lines are joined with {@code \n}. */
    void onEvent(String event, String data);
  }

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final Listener listener;
  private byte[] line = new byte[256];
  private int lineLength;
  /** The previous chunk ended on {@code \r}: a {@code \n} opening the next chunk belongs to that line end. */
  private boolean afterCr;
  private boolean firstLine = true;
  private String eventType;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;

  public SseParser(Listener listener) {
    this.listener = listener;
  }

  public void feed(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b != CR && b != LF) {
        continue;
      }
      if (b == LF && afterCr && i == start && lineLength == 0) {
        afterCr = false; // second half of a CRLF already handled
        start = i + 1;
        continue;
      }
      append(bytes, start, i - start);
      completeLine();
      afterCr = b == CR;
      start = i + 1;
    }
    if (start < bytes.length) {
      afterCr = false;
      append(bytes, start, bytes.length - start);
    }
  }

  /** The stream ended: a last line without a line end, and a last event without a blank line, still count. */
  public void end() {
    if (lineLength > 0) {
      completeLine();
    }
    dispatch();
    afterCr = false;
  }

  private void append(byte[] bytes, int from, int length) {
    if (length == 0) {
      return;
    }
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
    }
    System.arraycopy(bytes, from, line, lineLength, length);
    lineLength += length;
  }

  private void completeLine() {
    int from = 0;
    if (firstLine) {
      firstLine = false;
      if (lineLength >= 3 && line[0] == BOM[0] && line[1] == BOM[1] && line[2] == BOM[2]) {
        from = 3;
      }
    }
    int length = lineLength - from;
    lineLength = 0;
    if (length == 0) {
      dispatch();
      return;
    }
    if (line[from] == ':') {
      return; // comment
    }
    int colon = -1;
    for (int i = from; i < from + length; i++) {
      if (line[i] == ':') {
        colon = i;
        break;
      }
    }
    int end = from + length;
    int nameEnd = colon < 0 ? end : colon;
    int valueStart = colon < 0 ? end : colon + 1;
    if (valueStart < end && line[valueStart] == ' ') {
      valueStart++;
    }
    if (is("data", from, nameEnd)) {
      if (hasData) {
        data.append('\n');
      }
      data.append(new String(line, valueStart, end - valueStart, StandardCharsets.UTF_8));
      hasData = true;
    } else if (is("event", from, nameEnd)) {
      eventType = new String(line, valueStart, end - valueStart, StandardCharsets.UTF_8);
    }
  }

  private boolean is(String field, int from, int to) {
    if (to - from != field.length()) {
      return false;
    }
    for (int i = 0; i < field.length(); i++) {
      if (line[from + i] != field.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void dispatch() {
    if (hasData) {
      listener.onEvent(eventType, data.toString());
    }
    eventType = null;
    data.setLength(0);
    hasData = false;
  }
}
