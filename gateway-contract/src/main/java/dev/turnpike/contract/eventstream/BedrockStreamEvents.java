package dev.turnpike.contract.eventstream;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event-stream messages of Bedrock's {@code InvokeModelWithResponseStream}: each Anthropic stream event travels
 * base64-encoded in a {@code chunk} event's {@code {"bytes": ...}} payload, and a failure mid-stream is an
 * {@code exception} message (e.g. {@code throttlingException}) whose payload is {@code {"message": ...}}.
 */
public final class BedrockStreamEvents {
  public static final String MESSAGE_TYPE = ":message-type";
  public static final String EVENT_TYPE = ":event-type";
  public static final String EXCEPTION_TYPE = ":exception-type";
  public static final String CONTENT_TYPE = ":content-type";

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Enough of a header value to say what a message was, however long a hostile one is. */
  private static final int HEADER_ECHO_CHARS = 64;

  private BedrockStreamEvents() {}

  /**
   * The encoded {@code chunk} event carrying one Anthropic stream event. Bedrock also adds a {@code "p"} padding
   * field (against length side channels); clients ignore it, so it is left out.
   */
  public static Buffer chunk(Buffer anthropicEventJson) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(EVENT_TYPE, "chunk");
    headers.put(CONTENT_TYPE, "application/json");
    headers.put(MESSAGE_TYPE, "event");
    // Base64 needs no JSON escaping.
    String payload = "{\"bytes\":\"" + Base64.getEncoder().encodeToString(anthropicEventJson.getBytes()) + "\"}";
    return EventStreamEncoder.encode(new EventStreamMessage(headers, Buffer.buffer(payload)));
  }

  /** The encoded {@code exception} message of type {@code exceptionType} (e.g. {@code throttlingException}). */
  public static Buffer exception(String exceptionType, String message) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(EXCEPTION_TYPE, exceptionType);
    headers.put(CONTENT_TYPE, "application/json");
    headers.put(MESSAGE_TYPE, "exception");
    String payload = "{\"message\":\"" + new String(JsonStringEncoder.getInstance().quoteAsUTF8(message),
        StandardCharsets.UTF_8) + "\"}";
    return EventStreamEncoder.encode(new EventStreamMessage(headers, Buffer.buffer(payload)));
  }

  /**
   * The Anthropic event JSON a {@code chunk} event carries: its payload's {@code bytes} field, base64-decoded.
   *
   * @throws EventStreamException when the message is not a chunk event (an exception message among them, named by
   *     its type) or its payload is not a JSON object with a base64 string {@code bytes}
   */
  public static Buffer chunkBytes(EventStreamMessage message) {
    String messageType = message.headers().get(MESSAGE_TYPE);
    String eventType = message.headers().get(EVENT_TYPE);
    if (!"event".equals(messageType) || !"chunk".equals(eventType)) {
      String detail = "exception".equals(messageType)
          ? "an exception of type " + echo(message.headers().get(EXCEPTION_TYPE))
          : "message type " + echo(messageType) + ", event type " + echo(eventType);
      throw new EventStreamException("expected a Bedrock chunk event, got " + detail);
    }
    JsonNode bytes;
    try {
      bytes = JSON.readTree(message.payload().getBytes()).get("bytes");
    } catch (IOException e) {
      // The parser's message quotes the payload, so it is not passed on.
      throw new EventStreamException("Bedrock chunk payload is not JSON");
    }
    if (bytes == null || !bytes.isTextual()) {
      throw new EventStreamException("Bedrock chunk payload has no \"bytes\" string");
    }
    try {
      return Buffer.buffer(Base64.getDecoder().decode(bytes.textValue()));
    } catch (IllegalArgumentException e) {
      throw new EventStreamException("Bedrock chunk \"bytes\" is not base64");
    }
  }

  private static String echo(String headerValue) {
    if (headerValue == null) {
      return "(none)";
    }
    return headerValue.length() <= HEADER_ECHO_CHARS ? headerValue
        : headerValue.substring(0, HEADER_ECHO_CHARS) + "...";
  }
}
