package dev.turnpike.app.gateway;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/** Requests captured from the real Claude Code CLI, under {@code fixtures/claude-code} at the repository root. */
final class ClaudeCodeCaptures {
  private ClaudeCodeCaptures() {}

  /** The capture file as recorded: a body, or (the cloud modes' and 2.1.197's) method, path, headers and body. */
  static JsonObject file(String name) throws Exception {
    return new JsonObject(Files.readString(Path.of("..", "fixtures", "claude-code", name)));
  }

  /** The Messages request body of a capture. */
  static String body(String name) throws Exception {
    JsonObject file = file(name);
    return (file.containsKey("body") && file.containsKey("headers") ? file.getJsonObject("body") : file).encode();
  }

  /** The Messages request body of a capture, asking for {@code model} (e.g. {@code provider/model}) instead. */
  static String body(String name, String model) throws Exception {
    return body(name).replaceFirst("\"model\":\"[^\"]*\"", "\"model\":\"" + model + "\"");
  }
}
