package dev.turnpike.contract.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The golden files under {@code src/test/resources/openai}, the repository's Claude Code captures, SSE helpers. */
final class OpenAiFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ChatCompletionMeta META = new ChatCompletionMeta("chatcmpl-tp-test-1", 1741569952L,
      "anthropic/claude-sonnet-4-5");
  /** Tests run in the module directory; the captures sit at the repository root. */
  private static final Path CLAUDE_CODE = Path.of("..", "fixtures", "claude-code");

  record SseEvent(String event, String data) {}

  private OpenAiFixtures() {}

  static Buffer resource(String name) {
    try (InputStream in = OpenAiFixtures.class.getResourceAsStream("/openai/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture openai/" + name);
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

  /** The events of an SSE stream: each frame's {@code event:} name (null without one) and its data lines joined. */
  static List<SseEvent> sse(Buffer stream) {
    List<SseEvent> events = new ArrayList<>();
    String text = stream.toString(StandardCharsets.UTF_8);
    for (String frame : text.split("\r?\n\r?\n")) {
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

  /**
   * A chat completion with every tool call's {@code arguments} parsed, so key order and spacing inside the JSON
   * string do not decide a comparison (a client parses them too).
   */
  static JsonNode withParsedArguments(JsonNode completion) {
    JsonNode copy = completion.deepCopy();
    for (JsonNode choice : copy.path("choices")) {
      for (JsonNode call : choice.path("message").path("tool_calls")) {
        ObjectNode function = (ObjectNode) call.get("function");
        function.set("arguments", tree(function.get("arguments").asText()));
      }
    }
    return copy;
  }

  static ArrayNode array(JsonNode node) {
    return (ArrayNode) node;
  }
}
