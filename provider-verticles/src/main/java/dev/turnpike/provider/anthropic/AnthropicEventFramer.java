package dev.turnpike.provider.anthropic;

import dev.turnpike.contract.Failure;
import io.vertx.core.buffer.Buffer;

/**
 * Turns an upstream's stream into whole Anthropic SSE events, the frames every client dialect can re-frame
 * (ARCHITECTURE.md §2): Anthropic's and Vertex's SSE is cut at event boundaries, Bedrock's event stream is
 * decoded and written as SSE. Each event is also handed to the stream's listener, which reads its usage.
 *
 * <p>A framer that meets something it cannot pass (a broken frame, an in-stream exception) returns the events
 * before it and reports it in {@link #failure()}; it passes nothing after.
 */
public interface AnthropicEventFramer {
  /** The whole events completed by {@code chunk} (possibly none). */
  Buffer push(Buffer chunk);

  /** The stream ended: whatever remains that can still be passed on. */
  Buffer end();

  /** Why the stream cannot go on, once it cannot; null until then. */
  default Failure failure() {
    return null;
  }
}
