package dev.turnpike.contract;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * One step of a provider's answer, in Anthropic wire form, numbered from 0. A stream is exactly
 * {@code Head Data* End}, or ends with {@code Failed} at any point.
 */
public sealed interface StreamFrame {
  long seq();

  /**
   * Status and the headers to show the client (content type included). Sent once the upstream answered with
   * success; an upstream error status is a {@link Failed} instead, so the edge can still fail over.
   */
  record Head(long seq, int status, Map<String, String> headers) implements StreamFrame {}

  /** Bytes to write to the client as they are (SSE events or a JSON body slice). */
  record Data(long seq, Buffer bytes) implements StreamFrame {}

  /** The answer is complete; {@code usage} is what the upstream reported (zeros when it reported nothing). */
  record End(long seq, Usage usage) implements StreamFrame {}

  /** The attempt failed; whether the client already saw bytes is the edge's knowledge, not the provider's. */
  record Failed(long seq, Failure failure, Usage usageSoFar) implements StreamFrame {}
}
