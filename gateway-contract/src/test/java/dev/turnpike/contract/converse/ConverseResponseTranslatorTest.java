package dev.turnpike.contract.converse;

import static dev.turnpike.contract.converse.ConverseFixtures.claudeCode;
import static dev.turnpike.contract.converse.ConverseFixtures.resource;
import static dev.turnpike.contract.converse.ConverseFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConverseResponseTranslatorTest {
  private static final String MODEL = "claude-sonnet-4-5";

  @Test
  void textWithCacheUsageAndTheCallersLatency() {
    Buffer converse = ConverseResponseTranslator.fromAnthropic(resource("text.anthropic-response.json"), 1275);
    assertEquals(tree(resource("text.converse-response.json")), tree(converse));
  }

  @Test
  void toolUseWithoutUsageCountsZero() {
    Buffer converse = ConverseResponseTranslator.fromAnthropic(resource("tool-use.anthropic-response.json"));
    assertEquals(tree(resource("tool-use.converse-response.json")), tree(converse));
  }

  @Test
  void thinkingTextAndToolUseAsClaudeCodeReceivedThem() {
    Buffer converse = ConverseResponseTranslator.fromAnthropic(claudeCode("cc2.1.332-nonstream_message.json"));
    assertEquals(tree(resource("thinking.converse-response.json")), tree(converse));
  }

  @Test
  void redactedThinkingSurvivesTheRoundTripBackToAnthropic() {
    String data = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB9URj";
    JsonNode converse = tree(ConverseResponseTranslator.fromAnthropic(Buffer.buffer(
        "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"redacted_thinking\",\"data\":\"" + data
            + "\"},{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\"}")));
    JsonNode assistantMessage = converse.at("/output/message");
    Buffer nextTurn = Buffer.buffer("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]},"
        + assistantMessage + ",{\"role\":\"user\",\"content\":[{\"text\":\"go on\"}]}]}");
    JsonNode anthropic = tree(ConverseRequestTranslator.toAnthropic(nextTurn, MODEL, false));
    assertEquals(tree("[{\"type\":\"redacted_thinking\",\"data\":\"" + data + "\"},{\"type\":\"text\",\"text\":\"ok\"}]"),
        anthropic.at("/messages/1/content"));
  }

  @ParameterizedTest
  @CsvSource({
      "end_turn, end_turn",
      "tool_use, tool_use",
      "max_tokens, max_tokens",
      "stop_sequence, stop_sequence",
      "refusal, content_filtered",
      "pause_turn, end_turn",
      "model_context_window_exceeded, model_context_window_exceeded",
      "some_future_reason, end_turn"})
  void stopReasons(String anthropic, String converse) {
    assertEquals(converse, stopReasonOf("\"" + anthropic + "\""));
  }

  @Test
  void aMissingStopReasonEndsTheTurn() {
    assertEquals("end_turn", stopReasonOf("null"));
  }

  @Test
  void refusesAnswersConverseCannotCarry() {
    ConverseException serverTool = assertThrows(ConverseException.class, () -> ConverseResponseTranslator.fromAnthropic(
        Buffer.buffer("{\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
            + "{\"type\":\"server_tool_use\",\"id\":\"s\",\"name\":\"web_search\",\"input\":{}}]}")));
    assertEquals("Upstream answer: content[1]: unsupported block 'server_tool_use'", serverTool.getMessage());
    assertEquals(FailureCode.UPSTREAM_ERROR, serverTool.code());

    ConverseException error = assertThrows(ConverseException.class, () -> ConverseResponseTranslator.fromAnthropic(
        Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}")));
    assertEquals("Upstream answer: type: expected 'message'", error.getMessage());

    ConverseException notJson = assertThrows(ConverseException.class,
        () -> ConverseResponseTranslator.fromAnthropic(Buffer.buffer("<html>")));
    assertEquals("Upstream answer: Anthropic message is not valid JSON (line 1, column 1)", notJson.getMessage());
  }

  private static String stopReasonOf(String anthropicStopReason) {
    return tree(ConverseResponseTranslator.fromAnthropic(Buffer.buffer("{\"type\":\"message\",\"content\":[],"
        + "\"stop_reason\":" + anthropicStopReason + "}"))).get("stopReason").asText();
  }
}
