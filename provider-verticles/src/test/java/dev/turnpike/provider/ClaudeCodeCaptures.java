package dev.turnpike.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;

/** Requests and streams captured from the real Claude Code CLI, which every dialect's tests replay. */
public final class ClaudeCodeCaptures {
  public static final FixtureFiles FILES = new FixtureFiles("claude-code");

  private ClaudeCodeCaptures() {}

  /** The captured Messages requests, for {@code @MethodSource("dev.turnpike.provider.ClaudeCodeCaptures#requests")}. */
  public static Stream<String> requests() {
    return Stream.of(
        "cc2.1.197-messages-text.request.json",
        "cc2.1.197-messages-tool-result.request.json",
        "cc2.1.332-anthropic_req_with_tool_result.json",
        "cc2.1.332-anthropic_nonstreaming_fallback_req.json");
  }

  /** A capture's request body: the 2.1.197 files wrap it with the method, path and headers. */
  public static JsonNode request(String file) {
    JsonNode capture = FILES.json(file);
    return capture.has("body") ? capture.path("body") : capture;
  }
}
