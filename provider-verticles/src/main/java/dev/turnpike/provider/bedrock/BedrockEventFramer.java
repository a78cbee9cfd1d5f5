package dev.turnpike.provider.bedrock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import dev.turnpike.contract.eventstream.EventStreamDecoder;
import dev.turnpike.contract.eventstream.EventStreamException;
import dev.turnpike.contract.eventstream.EventStreamMessage;
import dev.turnpike.provider.anthropic.AnthropicEventFramer;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Bedrock's InvokeModelWithResponseStream answer as Anthropic SSE: each event-stream {@code chunk} carries one
 * Anthropic event (base64 in {@code {"bytes": ...}}), written as {@code event: <type>\ndata: <json>\n\n}. An
 * {@code exception} message, a broken frame or a stream cut mid-message is a failure, so the edge can fail over
 * or end the client's stream with an error event.
 */
final class BedrockEventFramer implements AnthropicEventFramer {
  private static final JsonFactory JSON_FACTORY = new JsonFactory();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SseParser.Listener listener;
  private final EventStreamDecoder decoder;
  private final String provider;

  BedrockEventFramer(SseParser.Listener listener, int maxMessageBytes, String provider) {
    this.listener = listener;
    this.decoder = new EventStreamDecoder(maxMessageBytes);
    this.provider = provider;
  }

  @Override
  public Buffer push(Buffer chunk) {
    Buffer out = Buffer.buffer();
    try {
      for (EventStreamMessage message : decoder.push(chunk)) {
        append(out, message);
      }
    } catch (EventStreamException e) {
      throw broken(e.getMessage());
    }
    return out;
  }

  @Override
  public Buffer end() {
    if (decoder.partial()) {
      throw broken("the stream ended inside a message");
    }
    return Buffer.buffer(0);
  }

  private void append(Buffer out, EventStreamMessage message) {
    String messageType = message.headers().get(BedrockStreamEvents.MESSAGE_TYPE);
    if ("exception".equals(messageType) || "error".equals(messageType)) {
      String type = message.headers().getOrDefault(BedrockStreamEvents.EXCEPTION_TYPE,
          message.headers().get(":error-code"));
      throw new Failure.FailureException(BedrockErrors.inStream(provider, type, messageOf(message.payload())));
    }
    if (!"event".equals(messageType) || !"chunk".equals(message.headers().get(BedrockStreamEvents.EVENT_TYPE))) {
      return; // an event type this dialect does not use carries no Anthropic event
    }
    Buffer event = BedrockStreamEvents.chunkBytes(message);
    String type = typeOf(event);
    String data = compact(event);
    listener.onEvent(type, data);
    out.appendString("event: ").appendString(type).appendString("\ndata: ").appendString(data).appendString("\n\n");
  }

  /** The event's top-level {@code type}, read without building a tree. */
  private String typeOf(Buffer event) {
    try (JsonParser parser = JSON_FACTORY.createParser(event.getBytes())) {
      if (parser.nextToken() == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
            return parser.getText();
          }
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw broken("a chunk held no JSON event");
    }
    throw broken("a chunk's event had no type");
  }

  /** SSE data cannot hold a raw line break; JSON only has one where it was pretty-printed, so compact that. */
  private String compact(Buffer event) {
    String text = event.toString(StandardCharsets.UTF_8);
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      return text;
    }
    try {
      return JSON.writeValueAsString(JSON.readTree(text));
    } catch (IOException e) {
      throw broken("a chunk held no JSON event");
    }
  }

  private static String messageOf(Buffer payload) {
    try {
      return JSON.readTree(payload.getBytes()).path("message").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  private Failure.FailureException broken(String why) {
    return new Failure.FailureException(Failure.of(FailureCode.UPSTREAM_ERROR,
        "Provider '" + provider + "' sent a broken event stream: " + why));
  }
}
