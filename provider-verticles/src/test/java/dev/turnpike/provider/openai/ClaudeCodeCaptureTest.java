package dev.turnpike.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.provider.ClaudeCodeCaptures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests captured from the real Claude Code CLI, translated as the openai adapter would. */
class ClaudeCodeCaptureTest {
  private static final Set<String> FORBIDDEN_KEYS = Set.of(
      "cache_control", "thinking", "redacted_thinking", "signature", "context_management", "output_config",
      "metadata", "defer_loading", "anthropic_version");

  @ParameterizedTest
  @MethodSource("dev.turnpike.provider.ClaudeCodeCaptures#requests")
  void should_produce_a_valid_chat_completions_request_when_translating_a_claude_code_capture(String file) {
    JsonNode request = ClaudeCodeCaptures.request(file);
    ToolNameMapper names = new ToolNameMapper();
    ObjectNode out = OpenAiRequestTranslator.toChatCompletions(request, "gpt-5", names);
    JsonNode messages = out.path("messages");

    assertEquals("gpt-5", out.path("model").asText(), "model replaced");
    assertEquals(request.path("max_tokens").asLong(), out.path("max_completion_tokens").asLong());
    boolean stream = request.path("stream").asBoolean(false);
    assertEquals(stream, out.path("stream_options").path("include_usage").asBoolean(false));

    int customTools = 0;
    for (JsonNode tool : request.path("tools")) {
      customTools += tool.path("type").asText("custom").equals("custom") ? 1 : 0;
    }
    assertTrue(customTools >= 9, "capture has Claude Code's tools");
    assertEquals(customTools, out.path("tools").size(), "every custom tool kept");
    out.path("tools").forEach(tool ->
        assertTrue(ToolNameMapper.isValidOpenAiName(tool.path("function").path("name").asText())));

    JsonNode first = messages.path(0);
    assertEquals("system", first.path("role").asText());
    assertTrue(first.path("content").asText().startsWith("You are a Claude agent"), "billing header dropped");
    messages.forEach(m -> assertFalse(m.path("content").toString().contains("x-anthropic-billing-header")));

    assertSystemEntriesKeptInPlace(request.path("messages"), messages);
    assertToolPairsPreserved(request.path("messages"), messages);
    assertNoKeys(out, FORBIDDEN_KEYS);
  }

  /** Each mid-conversation system entry has exactly as many user/assistant turns before it as in the input. */
  private static void assertSystemEntriesKeptInPlace(JsonNode in, JsonNode out) {
    List<Integer> expected = new ArrayList<>();
    int turns = 0;
    for (JsonNode message : in) {
      String role = message.path("role").asText();
      if ("system".equals(role)) {
        expected.add(turns);
      } else if ("assistant".equals(role) || hasNonToolResultContent(message.path("content"))) {
        turns++;
      }
    }
    assertFalse(expected.isEmpty(), "capture has mid-conversation system entries");
    List<Integer> actual = new ArrayList<>();
    turns = 0;
    for (int i = 1; i < out.size(); i++) { // index 0 is the top-level system prompt
      String role = out.path(i).path("role").asText();
      if ("system".equals(role)) {
        actual.add(turns);
      } else if ("user".equals(role) || "assistant".equals(role)) {
        turns++;
      }
    }
    assertEquals(expected, actual);
  }

  private static boolean hasNonToolResultContent(JsonNode content) {
    if (content.isTextual()) {
      return true;
    }
    for (JsonNode block : content) {
      if (!"tool_result".equals(block.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Every tool_use id is a tool_call id, answered by a tool message right after its assistant message. */
  private static void assertToolPairsPreserved(JsonNode in, JsonNode out) {
    List<String> toolUseIds = new ArrayList<>();
    in.forEach(m -> m.path("content").forEach(b -> {
      if ("tool_use".equals(b.path("type").asText())) {
        toolUseIds.add(b.path("id").asText());
      }
    }));
    Map<String, Integer> callAt = new HashMap<>();
    for (int i = 0; i < out.size(); i++) {
      int at = i;
      out.path(i).path("tool_calls").forEach(c -> callAt.put(c.path("id").asText(), at));
    }
    assertEquals(Set.copyOf(toolUseIds), callAt.keySet());
    for (int i = 0; i < out.size(); i++) {
      JsonNode message = out.path(i);
      if ("tool".equals(message.path("role").asText())) {
        Integer call = callAt.get(message.path("tool_call_id").asText());
        assertTrue(call != null && call < i, "tool message answers an earlier call");
        for (int j = call + 1; j < i; j++) {
          assertEquals("tool", out.path(j).path("role").asText(), "only tool messages between call and answer");
        }
      }
    }
  }

  private static void assertNoKeys(JsonNode node, Set<String> keys) {
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(name -> {
        if (!"properties".equals(name)) { // JSON Schema property names are data, not protocol fields
          assertFalse(keys.contains(name), "no '" + name + "' in the translated request");
        }
      });
      node.properties().forEach(e -> {
        if (!"properties".equals(e.getKey())) {
          assertNoKeys(e.getValue(), keys);
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> assertNoKeys(child, keys));
    }
  }
}
