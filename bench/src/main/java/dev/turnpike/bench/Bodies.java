package dev.turnpike.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Request bodies. {@link Kind#LARGE}: the real Claude Code {@code /v1/messages} captures in
 * {@code fixtures/claude-code/} (streaming message calls of ~76 KB as the CLI sends them: compact JSON, {@code model}
 * first), rotated. {@link Kind#SMALL}: a ~1 KB streaming request with one tool.
 */
public final class Bodies {
  public enum Kind {
    LARGE, SMALL;

    public String label() {
      return this == LARGE ? "Claude Code captures" : "1 KB";
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private Bodies() {}

  /** The bodies of {@code kind} with {@code model} as their model, ready to send. */
  public static List<Buffer> of(Kind kind, Path repoRoot, String model) throws IOException {
    List<Buffer> out = new ArrayList<>();
    if (kind == Kind.SMALL) {
      out.add(Buffer.buffer(JSON.writeValueAsBytes(withModel(small(), model))));
      return out;
    }
    for (JsonNode body : captures(repoRoot)) {
      out.add(Buffer.buffer(JSON.writeValueAsBytes(withModel((ObjectNode) body, model))));
    }
    return out;
  }

  /** Streaming {@code messages} captures whose compact size is 55-90 KB. */
  static List<JsonNode> captures(Path repoRoot) throws IOException {
    Path dir = repoRoot.resolve("fixtures/claude-code");
    List<JsonNode> bodies = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        if (!file.toString().endsWith(".json")) {
          continue;
        }
        JsonNode root = JSON.readTree(file.toFile());
        JsonNode body = root.has("body") ? root.get("body") : root;
        if (!body.isObject() || !body.has("model") || !body.has("messages") || !body.path("stream").asBoolean()) {
          continue;
        }
        int size = JSON.writeValueAsBytes(body).length;
        if (size >= 55_000 && size <= 90_000) {
          bodies.add(body);
        }
      }
    }
    if (bodies.isEmpty()) {
      throw new IOException("no streaming Claude Code message captures of 55-90 KB in " + dir);
    }
    return bodies;
  }

  private static ObjectNode withModel(ObjectNode body, String model) {
    ObjectNode copy = body.deepCopy();
    copy.put("model", model); // keeps its place: first, as Claude Code sends it
    return copy;
  }

  private static ObjectNode small() throws IOException {
    String json = """
        {"model":"m","max_tokens":4096,"stream":true,
         "system":[{"type":"text","text":"You are a coding assistant. Answer briefly and use the Bash tool to look at files before you change them."}],
         "messages":[{"role":"user","content":[{"type":"text","text":"The build fails in GatewayTest with a timeout after the upstream closes the stream early. Look at the test, find where the stream is closed, and tell me which assertion fails and why. Keep the answer short."}]}],
         "tools":[{"name":"Bash","description":"Executes a given bash command and returns its output. Use it to list files, read them and run the build.",
                   "input_schema":{"type":"object","properties":{"command":{"type":"string","description":"The command to execute"},
                   "description":{"type":"string","description":"Clear, concise description of what this command does in 5-10 words"},
                   "timeout":{"type":"number","description":"Optional timeout in milliseconds (max 600000)"}},
                   "required":["command"],"additionalProperties":false}}],
         "metadata":{"user_id":"bench-user"}}
        """;
    return (ObjectNode) JSON.readTree(json);
  }

  public static int averageSize(List<Buffer> bodies) {
    return (int) bodies.stream().mapToInt(Buffer::length).average().orElse(0);
  }
}
