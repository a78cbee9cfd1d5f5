package dev.turnpike.contract.eventstream;

/**
 * A byte stream that is not valid {@code application/vnd.amazon.eventstream}, or a message that is not what the
 * caller expected. The message names what is wrong (lengths, checksums, header type codes) and never carries payload
 * or header-value bytes, so it can be logged and shown to a client.
 */
public final class EventStreamException extends RuntimeException {
  public EventStreamException(String message) {
    super(message);
  }
}
