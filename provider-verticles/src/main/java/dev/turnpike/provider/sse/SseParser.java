package dev.turnpike.provider.sse;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental {@code text/event-stream} parser (WHATWG HTML, "Interpreting an event stream"). Chunks may split
 * anywhere: lines are cut on bytes and decoded only once complete, which is safe because {@code \r} and
 * {@code \n} never occur inside a multi-byte UTF-8 sequence. Each byte is looked at once, in place.
 *
 * <p>Only {@code event} and {@code data} matter to Turnpike; {@code id}, {@code retry}, unknown fields and
 * comments are ignored. An event without any {@code data} line is not dispatched, as the spec says.
 *
 * <p>Memory is bounded: an event whose lines and data together exceed {@code maxEventBytes} is dropped, the
 * rest of it skipped, and {@link Listener#onOversizedEvent()} called, whatever the upstream keeps sending.
 */
public final class SseParser {

  public interface Listener {
    /** {@code event} is null when the event had no {@code event:} line; data lines are joined with {@code \n}. */
    void onEvent(String event, String data);

    /** An event grew past the cap and was dropped. */
    default void onOversizedEvent() {}
  }

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final Listener listener;
  private final int maxEventBytes;
  private byte[] line = new byte[256];
  private int lineLength;
  /** The previous chunk ended on {@code \r}: a {@code \n} opening the next chunk belongs to that line end. */
  private boolean afterCr;
  private boolean firstLine = true;
  private String eventType;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  /** Bytes of the current event so far; past the cap the event is skipped to its blank line. */
  private long eventBytes;
  private boolean skipping;

  public SseParser(Listener listener, int maxEventBytes) {
    this.listener = listener;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Parses {@code chunk} and returns the offset in it just past the last event boundary (the blank line ending
   * an event), or -1 when the chunk holds none: the bytes before that offset, with those of earlier chunks, are
   * whole events.
   */
  public int feed(Buffer chunk) {
    ByteBuf buf = ((BufferInternal) chunk).getByteBuf();
    byte[] bytes;
    int base;
    if (buf.hasArray()) {
      bytes = buf.array();
      base = buf.arrayOffset() + buf.readerIndex();
    } else {
      bytes = chunk.getBytes();
      base = 0;
    }
    int end = base + buf.readableBytes();
    int start = base;
    int boundary = -1;
    for (int i = base; i < end; i++) {
      byte b = bytes[i];
      if (b != CR && b != LF) {
        continue;
      }
      if (b == LF && afterCr && i == start && lineLength == 0) {
        afterCr = false; // second half of a CRLF already handled
        start = i + 1;
        if (boundary == i - base) {
          boundary = i + 1 - base;
        }
        continue;
      }
      append(bytes, start, i - start);
      if (completeLine()) {
        boundary = i + 1 - base;
      }
      afterCr = b == CR;
      start = i + 1;
    }
    if (start < end) {
      afterCr = false;
      append(bytes, start, end - start);
    }
    return boundary;
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
    eventBytes += length;
    if (skipping || eventBytes > maxEventBytes) {
      overflow();
      return;
    }
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
    }
    System.arraycopy(bytes, from, line, lineLength, length);
    lineLength += length;
  }

  private void overflow() {
    if (!skipping) {
      skipping = true;
      listener.onOversizedEvent();
    }
    lineLength = 0;
    data.setLength(0);
    hasData = false;
    if (line.length > 4096) {
      line = new byte[256]; // give back what the oversized event made us grow
    }
  }

  /** Handles one complete line; true when it was the blank line that ends an event. */
  private boolean completeLine() {
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
      if (skipping) {
        skipping = false;
        eventBytes = 0;
        eventType = null;
        return true;
      }
      dispatch();
      return true;
    }
    if (skipping || line[from] == ':') {
      return false; // the rest of an oversized event, or a comment
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
    return false;
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
    if (hasData && !skipping) {
      listener.onEvent(eventType, data.toString());
    }
    eventType = null;
    data.setLength(0);
    hasData = false;
    eventBytes = 0;
  }
}
