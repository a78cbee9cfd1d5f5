package dev.turnpike.contract;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * One step of a provider's answer, in Anthropic wire form, numbered from 0. A stream is exactly
 * {@code Head Data* End}, or ends with {@code Failed} at any point. Every frame that can end a stream, and every
 * {@code Data}, says how much usage the upstream had reported so far, so whoever stops reading early (a client
 * that leaves) still knows what to settle.
 */
public sealed interface StreamFrame {
  long seq();

  /**
   * Status and the headers to show the client (content type included). Sent once the upstream answered with
   * success; an upstream error status is a {@link Failed} instead, so the edge can still fail over.
   */
  record Head(long seq, int status, Map<String, String> headers) implements StreamFrame {}

  /**
   * Bytes to write to the client as they are. For an event stream they are whole events, never a partial one,
   * so anything the edge appends (an {@code error} event) starts on a fresh line.
   *
   * @param usageSoFar what the upstream had reported when these bytes were sent (cumulative)
   */
  record Data(long seq, Buffer bytes, Usage usageSoFar) implements StreamFrame {}

  /**
   * The answer is complete; {@code usage} is what the upstream reported (zeros when it reported nothing).
   *
   * @param streamError an error the upstream reported inside the stream (an Anthropic {@code error} event), which
   *     the client has already received with the bytes; null when the answer ended well
   */
  record End(long seq, Usage usage, Failure streamError) implements StreamFrame {}

  /** The attempt failed; whether the client already saw bytes is the edge's knowledge, not the provider's. */
  record Failed(long seq, Failure failure, Usage usageSoFar) implements StreamFrame {}
}
