package dev.turnpike.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a stream against the grammar of Anthropic's streaming Messages API, frame syntax included: every dialect
 * that answers in it is held to the same check.
 */
public final class AnthropicSseGrammar {
  private static final Pattern FRAME = Pattern.compile("event: ([a-z_]+)\r?\ndata: ([^\r\n]+)\r?\n\r?\n");
  private static final Map<String, List<String>> DELTAS = Map.of(
      "text", List.of("text_delta", "citations_delta"),
      "tool_use", List.of("input_json_delta"),
      "thinking", List.of("thinking_delta", "signature_delta"));

  private AnthropicSseGrammar() {}

  public static void assertValid(String sse) {
    Matcher frames = FRAME.matcher(sse);
    int position = 0;
    List<SseEvent> events = new ArrayList<>();
    while (frames.find() && frames.start() == position) {
      position = frames.end();
      try {
        JsonNode data = TestJson.JSON.readTree(frames.group(2));
        assertEquals(frames.group(1), data.path("type").asText(), "event name equals data.type");
        events.add(new SseEvent(frames.group(1), data));
      } catch (IOException e) {
        fail("data is not JSON: " + frames.group(2));
      }
    }
    assertEquals(sse.length(), position, "every byte belongs to an `event:` + `data:` frame");
    assertFalse(events.isEmpty(), "stream has events");

    List<SseEvent> flow = events.stream().filter(e -> !"ping".equals(e.event())).toList();
    assertEquals("message_start", flow.get(0).event());
    assertTrue(flow.get(0).data().path("message").path("content").isEmpty(), "message_start content is empty");
    assertNotNull(flow.get(0).data().path("message").path("usage").get("input_tokens"));
    assertEquals("message_stop", flow.get(flow.size() - 1).event());
    assertEquals("message_delta", flow.get(flow.size() - 2).event());

    int nextIndex = 0;
    String openType = null;
    StringBuilder toolJson = new StringBuilder();
    for (SseEvent e : flow.subList(1, flow.size() - 1)) {
      JsonNode data = e.data();
      switch (e.event()) {
        case "content_block_start" -> {
          assertEquals(null, openType, "previous block closed before index " + nextIndex);
          assertEquals(nextIndex, data.path("index").asInt(-1), "block indices increase from 0");
          openType = data.path("content_block").path("type").asText();
          toolJson.setLength(0);
        }
        case "content_block_delta" -> {
          assertNotNull(openType, "delta inside a block");
          assertEquals(nextIndex, data.path("index").asInt(-1));
          String deltaType = data.path("delta").path("type").asText();
          assertTrue(DELTAS.getOrDefault(openType, List.of()).contains(deltaType), deltaType + " in " + openType);
          toolJson.append(data.path("delta").path("partial_json").asText(""));
        }
        case "content_block_stop" -> {
          assertNotNull(openType, "stop closes an open block");
          assertEquals(nextIndex, data.path("index").asInt(-1));
          if ("tool_use".equals(openType) && !toolJson.isEmpty()) {
            try {
              assertTrue(TestJson.JSON.readTree(toolJson.toString()).isObject(), "tool input is a JSON object");
            } catch (IOException ex) {
              fail("tool input is not JSON: " + toolJson);
            }
          }
          openType = null;
          nextIndex++;
        }
        case "message_delta" -> {
          assertEquals(null, openType, "no block open at message_delta");
          assertFalse(data.path("delta").path("stop_reason").isNull(), "stop_reason set");
          assertTrue(data.path("usage").path("output_tokens").isNumber(), "usage.output_tokens");
        }
        default -> fail("unexpected event " + e.event());
      }
    }
  }
}
