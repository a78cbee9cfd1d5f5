package dev.turnpike.app.gateway;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Test-side reading of a whole SSE body into events, strict about Anthropic's grammar. */
record Sse(String event, JsonObject data) {

  /** Parses {@code text}; fails the test when an event lacks its {@code event:} line (Claude Code drops those). */
  static List<Sse> parse(String text) {
    List<Sse> events = new ArrayList<>();
    for (String block : text.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
      if (event == null) {
        throw new AssertionError("SSE event without an event: line: " + block);
      }
      JsonObject json = new JsonObject(data.toString());
      if (!event.equals(json.getString("type"))) {
        throw new AssertionError("event: " + event + " but data type " + json.getString("type"));
      }
      events.add(new Sse(event, json));
    }
    return events;
  }

  static List<String> names(List<Sse> events) {
    return events.stream().map(Sse::event).toList();
  }

  /** The text of all text deltas, in order. */
  static String text(List<Sse> events) {
    StringBuilder text = new StringBuilder();
    for (Sse e : events) {
      JsonObject delta = e.data().getJsonObject("delta");
      if ("content_block_delta".equals(e.event()) && "text_delta".equals(delta.getString("type"))) {
        text.append(delta.getString("text"));
      }
    }
    return text.toString();
  }
}
