package dev.turnpike.provider.bedrock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.anthropic.AnthropicErrors;
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
 * {@code exception} message before any chunk, a broken frame or a stream cut mid-message is a failure, reported
 * after the events before it, so the edge can fail over; an exception after chunks is the Anthropic {@code error}
 * event the API itself would have sent, and ends the stream.
 */
final class BedrockEventFramer implements AnthropicEventFramer {
  private static final JsonFactory JSON_FACTORY = new JsonFactory();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SseParser.Listener listener;
  private final EventStreamDecoder decoder;
  private final String provider;
  private Failure failure;
  /** A chunk has been passed on. */
  private boolean started;
  /** An in-stream error event was passed on: nothing may follow it. */
  private boolean over;

  BedrockEventFramer(SseParser.Listener listener, int maxMessageBytes, String provider) {
    this.listener = listener;
    this.decoder = new EventStreamDecoder(maxMessageBytes);
    this.provider = provider;
  }

  @Override
  public Buffer push(Buffer chunk) {
    Buffer out = Buffer.buffer();
    if (failure != null || over) {
      return out;
    }
    try {
      for (EventStreamMessage message : decoder.push(chunk)) {
        if (!over) {
          append(out, message);
        }
      }
    } catch (EventStreamException e) {
      failure = broken(e.getMessage()).failure();
    } catch (Failure.FailureException e) {
      failure = e.failure();
    }
    return out;
  }

  @Override
  public Buffer end() {
    if (failure == null && decoder.partial()) {
      failure = broken("the stream ended inside a message").failure();
    }
    return Buffer.buffer(0);
  }

  @Override
  public Failure failure() {
    return failure;
  }

  private void append(Buffer out, EventStreamMessage message) {
    String messageType = message.headers().get(BedrockStreamEvents.MESSAGE_TYPE);
    if ("exception".equals(messageType) || "error".equals(messageType)) {
      String type = message.headers().getOrDefault(BedrockStreamEvents.EXCEPTION_TYPE,
          message.headers().get(":error-code"));
      Failure failure = BedrockErrors.inStream(provider, type, messageOf(message.payload()));
      if (!started) {
        throw new Failure.FailureException(failure); // nothing passed yet: another target may still serve it
      }
      // Mid-answer, as the Anthropic API itself would say it: an error event, and the stream is over.
      String data = AnthropicErrors.json(failure).toString(StandardCharsets.UTF_8);
      listener.onEvent("error", data);
      out.appendString("event: error\ndata: ").appendString(data).appendString("\n\n");
      over = true;
      return;
    }
    if (!"event".equals(messageType) || !"chunk".equals(message.headers().get(BedrockStreamEvents.EVENT_TYPE))) {
      return; // an event type this dialect does not use carries no Anthropic event
    }
    Buffer event = BedrockStreamEvents.chunkBytes(message);
    started = true;
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
