package dev.turnpike.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One server-sent event with its data parsed, so tests compare streams event by event. */
public record SseEvent(String event, JsonNode data) {
  private static final String OPENAI_TERMINATOR = "[DONE]";

  /** Every event in {@code sse}; OpenAI-style {@code [DONE]} becomes a text node, any other non-JSON data fails. */
  public static List<SseEvent> listOf(String sse) {
    List<SseEvent> events = new ArrayList<>();
    SseParser parser = new SseParser((event, data) -> events.add(new SseEvent(event, parse(data))), 1 << 20);
    parser.feed(Buffer.buffer(sse));
    parser.end();
    return events;
  }

  private static JsonNode parse(String data) {
    if (OPENAI_TERMINATOR.equals(data.trim())) {
      return TestJson.JSON.getNodeFactory().textNode(data);
    }
    try {
      return TestJson.JSON.readTree(data);
    } catch (IOException e) {
      throw new AssertionError("event data is not JSON: " + data, e);
    }
  }
}
