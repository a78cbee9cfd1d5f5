package dev.turnpike.provider.sse;

import dev.turnpike.provider.anthropic.AnthropicEventFramer;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a relayed event stream at event boundaries, so whatever reaches the client is whole events: when the
 * upstream fails mid-event, the partial event is never sent and the edge's {@code error} event starts on a fresh
 * line. The bytes are the upstream's own; only where they are cut changes. Usually a chunk already ends on a
 * boundary and passes through without a copy.
 *
 * <p>The bytes held back are at most one event, which the parser caps ({@link SseParser}).
 */
public final class SseEventFramer implements AnthropicEventFramer {
  private final SseParser parser;
  private Buffer pending = Buffer.buffer();

  public SseEventFramer(SseParser parser) {
    this.parser = parser;
  }

  /** Parses {@code chunk} and returns the whole events completed by it (possibly empty). */
  @Override
  public Buffer push(Buffer chunk) {
    int boundary = parser.feed(chunk);
    if (boundary < 0) {
      pending.appendBuffer(chunk);
      return Buffer.buffer(0);
    }
    Buffer whole;
    if (pending.length() == 0) {
      whole = boundary == chunk.length() ? chunk : chunk.getBuffer(0, boundary);
    } else {
      whole = pending.appendBuffer(chunk, 0, boundary);
    }
    pending = boundary == chunk.length() ? Buffer.buffer() : chunk.getBuffer(boundary, chunk.length());
    return whole;
  }

  /** The stream ended: the last event may lack its blank line; its bytes are returned as they are. */
  @Override
  public Buffer end() {
    parser.end();
    Buffer rest = pending;
    pending = Buffer.buffer();
    return rest;
  }

  /** Bytes held back, waiting for the end of their event. */
  public int pendingBytes() {
    return pending.length();
  }
}
