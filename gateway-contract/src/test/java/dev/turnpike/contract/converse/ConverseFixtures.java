package dev.turnpike.contract.converse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The golden files under {@code src/test/resources/converse} and the repository's Claude Code captures. */
final class ConverseFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Tests run in the module directory; the captures sit at the repository root. */
  private static final Path CLAUDE_CODE = Path.of("..", "fixtures", "claude-code");

  record SseEvent(String event, String data) {}

  private ConverseFixtures() {}

  static Buffer resource(String name) {
    try (InputStream in = ConverseFixtures.class.getResourceAsStream("/converse/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture converse/" + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Buffer claudeCode(String name) {
    try {
      return Buffer.buffer(Files.readAllBytes(CLAUDE_CODE.resolve(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(Buffer json) {
    try {
      return JSON.readTree(json.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(String json) {
    return tree(Buffer.buffer(json));
  }

  /** The events of an SSE stream: each frame's {@code event:} name and its {@code data:} lines joined. */
  static List<SseEvent> sse(Buffer stream) {
    List<SseEvent> events = new ArrayList<>();
    for (String frame : stream.toString(StandardCharsets.UTF_8).split("\r?\n\r?\n")) {
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line : frame.split("\r?\n")) {
        if (line.startsWith("event:")) {
          event = line.substring("event:".length()).trim();
        } else if (line.startsWith("data:")) {
          data.append(data.isEmpty() ? "" : "\n").append(line.substring("data:".length()).trim());
        }
      }
      if (event != null || !data.isEmpty()) {
        events.add(new SseEvent(event, data.toString()));
      }
    }
    return events;
  }
}
