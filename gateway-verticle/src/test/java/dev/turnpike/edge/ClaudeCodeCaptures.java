package dev.turnpike.edge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The captures of the real Claude Code CLI in {@code fixtures/claude-code/} (its README says how they were made):
 * golden inputs for the Bedrock and Vertex surfaces.
 */
final class ClaudeCodeCaptures {
  private ClaudeCodeCaptures() {}

  static Path path(String name) {
    return Path.of("..", "fixtures", "claude-code", name);
  }

  static Buffer bytes(String name) throws IOException {
    return Buffer.buffer(Files.readAllBytes(path(name)));
  }

  /** A capture's {@code {method, path, headers, body}}. */
  static JsonObject request(String name) throws IOException {
    return new JsonObject(Files.readString(path(name)));
  }

  /** The request body of a capture, encoded as JSON (as Claude Code sent it, up to whitespace). */
  static Buffer body(String name) throws IOException {
    return request(name).getJsonObject("body").toBuffer();
  }
}
