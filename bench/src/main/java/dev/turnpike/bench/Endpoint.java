package dev.turnpike.bench;

import java.util.Map;

/**
 * Where a request goes: {@code POST http://127.0.0.1:port + path} with these headers and a body whose
 * {@code model} is {@code model}. {@code terminator} is the text the answer's last bytes must contain.
 */
public record Endpoint(int port, String path, String model, Map<String, String> headers, String terminator) {
  /** An Anthropic Messages endpoint, as Claude Code calls it (SSE answer ending in message_stop). */
  public static Endpoint anthropic(int port, String path, String model) {
    return new Endpoint(port, path, model, Map.of(
        "content-type", "application/json",
        "accept", "application/json",
        "anthropic-version", "2023-06-01",
        "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14",
        "x-api-key", "sk-bench-client",
        "user-agent", "claude-cli/2.1.332 (external, sdk-cli)",
        "x-app", "cli"), "message_stop");
  }

  /** The same endpoint with another credential ({@code x-api-key} or {@code authorization}) instead of its own. */
  public Endpoint withCredential(String header, String value) {
    Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.remove("x-api-key");
    h.remove("authorization");
    h.put(header, value);
    return new Endpoint(port, path, model, Map.copyOf(h), terminator);
  }
}
