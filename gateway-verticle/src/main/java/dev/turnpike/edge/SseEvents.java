package dev.turnpike.edge;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one {@code Data} frame of an event stream into its SSE events. A frame holds whole events (the providers
 * cut at event boundaries, ARCHITECTURE.md §2), so there is nothing to carry from one frame to the next.
 */
final class SseEvents {
  /** One event: its {@code event:} name ({@code message} when it had none) and its data lines joined by LF. */
  record Event(String name, Buffer data) {}

  private SseEvents() {}

  static List<Event> split(Buffer frame) {
    List<Event> events = new ArrayList<>(4);
    String name = null;
    Buffer data = null;
    int length = frame.length();
    int lineStart = 0;
    while (lineStart < length) {
      int lineEnd = lineStart;
      while (lineEnd < length && frame.getByte(lineEnd) != '\n') {
        lineEnd++;
      }
      int contentEnd = lineEnd > lineStart && frame.getByte(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
      if (contentEnd == lineStart) {
        if (data != null) {
          events.add(new Event(name == null ? "message" : name, data));
        }
        name = null;
        data = null;
      } else if (startsWith(frame, lineStart, contentEnd, "data:")) {
        int valueStart = valueStart(frame, lineStart + 5, contentEnd);
        if (data == null) {
          data = Buffer.buffer(contentEnd - valueStart);
        } else {
          data.appendByte((byte) '\n');
        }
        data.appendBuffer(frame, valueStart, contentEnd - valueStart);
      } else if (startsWith(frame, lineStart, contentEnd, "event:")) {
        int valueStart = valueStart(frame, lineStart + 6, contentEnd);
        name = frame.getString(valueStart, contentEnd, StandardCharsets.UTF_8.name());
      }
      // Comments (":...") and other fields (id, retry) mean nothing to the client's dialect.
      lineStart = lineEnd + 1;
    }
    if (data != null) {
      events.add(new Event(name == null ? "message" : name, data)); // an event the frame did not close
    }
    return events;
  }

  private static boolean startsWith(Buffer frame, int from, int to, String prefix) {
    if (to - from < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (frame.getByte(from + i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** SSE drops one space after the colon. */
  private static int valueStart(Buffer frame, int afterColon, int end) {
    return afterColon < end && frame.getByte(afterColon) == ' ' ? afterColon + 1 : afterColon;
  }
}
