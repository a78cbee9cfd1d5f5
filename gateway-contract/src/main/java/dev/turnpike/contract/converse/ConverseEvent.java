package dev.turnpike.contract.converse;

import static dev.turnpike.contract.converse.JsonFields.NODES;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * One ConverseStream event, ready to frame: {@code eventType} goes in the event-stream {@code :event-type} header
 * (or, for an exception, {@code :exception-type} with {@code :message-type: exception}) and {@code payload} is the
 * frame's JSON body.
 *
 * @param eventType one of the constants below, or an exception name ending in {@code Exception}
 */
public record ConverseEvent(String eventType, Buffer payload) {
  public static final String MESSAGE_START = "messageStart";
  public static final String CONTENT_BLOCK_START = "contentBlockStart";
  public static final String CONTENT_BLOCK_DELTA = "contentBlockDelta";
  public static final String CONTENT_BLOCK_STOP = "contentBlockStop";
  public static final String MESSAGE_STOP = "messageStop";
  public static final String METADATA = "metadata";
  /** A failure while streaming; Converse's catch-all stream exception. */
  public static final String MODEL_STREAM_ERROR = "modelStreamErrorException";
  public static final String INTERNAL_SERVER_ERROR = "internalServerException";
  public static final String THROTTLING = "throttlingException";
  public static final String SERVICE_UNAVAILABLE = "serviceUnavailableException";
  public static final String VALIDATION = "validationException";

  public ConverseEvent {
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(payload, "payload");
  }

  /** An exception event, {@code {"message": message}}, e.g. to end a stream the upstream broke off. */
  public static ConverseEvent exception(String exceptionType, String message) {
    if (!exceptionType.endsWith("Exception")) {
      throw new IllegalArgumentException("not an exception type: " + exceptionType);
    }
    return new ConverseEvent(exceptionType,
        JsonFields.write(NODES.objectNode().put("message", message == null ? "" : message)));
  }

  /** Whether this event is written as an event-stream exception rather than an event. */
  public boolean isException() {
    return eventType.endsWith("Exception");
  }

  @Override
  public String toString() {
    return "ConverseEvent[" + eventType + ", " + payload.length() + " bytes]"; // content stays out of logs
  }
}
