package dev.turnpike.provider.cohere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.provider.ClaudeCodeCaptures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests captured from the real Claude Code CLI, translated as the cohere adapter would. */
class CohereClaudeCodeCaptureTest {
  /** The fields of Cohere's v2 chat request and messages, per role (see fixtures/cohere/SOURCES.md). */
  private static final Set<String> REQUEST_FIELDS = Set.of("model", "messages", "tools", "tool_choice", "max_tokens",
      "stop_sequences", "temperature", "p", "k", "stream");
  private static final Map<String, Set<String>> MESSAGE_FIELDS = Map.of(
      "system", Set.of("role", "content"),
      "user", Set.of("role", "content"),
      "assistant", Set.of("role", "content", "tool_plan", "tool_calls"),
      "tool", Set.of("role", "tool_call_id", "content"));

  @ParameterizedTest
  @MethodSource("dev.turnpike.provider.ClaudeCodeCaptures#requests")
  void should_produce_a_request_of_cohere_fields_only_when_translating_a_claude_code_capture(String file) {
    JsonNode request = ClaudeCodeCaptures.request(file);
    CohereToolNames names = new CohereToolNames();
    ObjectNode out = CohereRequestTranslator.toCohereChat(request, CohereFixtures.UPSTREAM_MODEL, names);
    JsonNode messages = out.path("messages");

    out.fieldNames().forEachRemaining(field -> assertTrue(REQUEST_FIELDS.contains(field), field));
    assertEquals(request.path("max_tokens").asLong(), out.path("max_tokens").asLong());
    assertEquals(request.path("stream").asBoolean(false), out.path("stream").asBoolean(false));
    int customTools = 0;
    for (JsonNode tool : request.path("tools")) {
      customTools += tool.path("type").asText("custom").equals("custom") ? 1 : 0;
    }
    assertTrue(customTools >= 9, "capture has Claude Code's tools");
    assertEquals(customTools, out.path("tools").size(), "every custom tool kept");
    out.path("tools").forEach(tool -> {
      String name = tool.path("function").path("name").asText();
      assertTrue(CohereToolNames.isValidCohereName(name), name);
      assertTrue(tool.path("function").path("parameters").isObject(), name);
    });

    assertEquals("system", messages.path(0).path("role").asText());
    assertTrue(messages.path(0).path("content").asText().startsWith("You are a Claude agent"), "billing header dropped");
    for (JsonNode message : messages) {
      String role = message.path("role").asText();
      assertTrue(MESSAGE_FIELDS.containsKey(role), role);
      message.fieldNames().forEachRemaining(field -> assertTrue(MESSAGE_FIELDS.get(role).contains(field),
          role + "." + field));
      assertFalse(message.toString().contains("x-anthropic-billing-header"));
      assertFalse(message.toString().contains("cache_control"));
    }
    assertToolCallsAnswered(request.path("messages"), messages);
  }

  /** Every tool_use is a tool call, answered by tool messages that follow it directly, each call exactly once. */
  private static void assertToolCallsAnswered(JsonNode in, JsonNode out) {
    List<String> toolUseIds = new ArrayList<>();
    in.forEach(m -> m.path("content").forEach(b -> {
      if ("tool_use".equals(b.path("type").asText())) {
        toolUseIds.add(b.path("id").asText());
      }
    }));
    assertFalse(toolUseIds.isEmpty() && in.toString().contains("tool_result"), "capture pairs calls and results");
    Set<String> answered = new HashSet<>();
    Set<String> called = new HashSet<>();
    for (int i = 0; i < out.size(); i++) {
      JsonNode message = out.path(i);
      if (!message.has("tool_calls")) {
        continue;
      }
      Set<String> pending = new HashSet<>();
      message.path("tool_calls").forEach(c -> pending.add(c.path("id").asText()));
      called.addAll(pending);
      int j = i + 1;
      for (; j < out.size() && "tool".equals(out.path(j).path("role").asText()); j++) {
        assertTrue(pending.remove(out.path(j).path("tool_call_id").asText()), "answers a call of this turn");
        answered.add(out.path(j).path("tool_call_id").asText());
      }
      assertTrue(pending.isEmpty() || j == out.size(), "unanswered calls " + pending);
    }
    assertEquals(Set.copyOf(toolUseIds), called);
    out.forEach(m -> {
      if ("tool".equals(m.path("role").asText())) {
        assertTrue(answered.contains(m.path("tool_call_id").asText()), "no stray tool message");
      }
    });
  }
}
