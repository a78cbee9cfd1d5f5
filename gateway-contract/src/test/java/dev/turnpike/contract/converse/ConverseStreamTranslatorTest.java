package dev.turnpike.contract.converse;

import static dev.turnpike.contract.converse.ConverseFixtures.claudeCode;
import static dev.turnpike.contract.converse.ConverseFixtures.resource;
import static dev.turnpike.contract.converse.ConverseFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Usage;
import io.vertx.core.buffer.Buffer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class ConverseStreamTranslatorTest {
  private static final String START = "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\","
      + "\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}";

  @Test
  void translatesTheClaudeCodeStreamToTheConverseEventSequence() {
    List<ConverseEvent> events = translateCapture(new ConverseStreamTranslator(() -> 812));
    ArrayNode expected = (ArrayNode) tree(resource("thinking-text-tool.converse-stream.json"));
    assertEquals(expected.size(), events.size(), events.toString());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).get("eventType").asText(), events.get(i).eventType(), "event " + i);
      assertEquals(expected.get(i).get("payload"), tree(events.get(i).payload()), "event " + i);
      assertFalse(events.get(i).isException());
    }
  }

  @Test
  void theJoinedDeltasAreTheBlocksOfTheSameAnswerUnstreamed() {
    List<ConverseEvent> events = translateCapture(new ConverseStreamTranslator());
    JsonNode message = tree(claudeCode("cc2.1.332-nonstream_message.json"));
    StringBuilder toolInput = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    StringBuilder text = new StringBuilder();
    for (ConverseEvent event : events) {
      JsonNode payload = tree(event.payload());
      if (event.eventType().equals(ConverseEvent.CONTENT_BLOCK_DELTA)) {
        JsonNode delta = payload.get("delta");
        int index = payload.get("contentBlockIndex").asInt();
        assertEquals(message.at("/content/" + index + "/type").asText(),
            delta.has("toolUse") ? "tool_use" : delta.has("text") ? "text" : "thinking", "block " + index);
        toolInput.append(delta.at("/toolUse/input").asText(""));
        reasoning.append(delta.at("/reasoningContent/text").asText(""));
        text.append(delta.path("text").asText(""));
      }
    }
    assertEquals(message.at("/content/2/input"), tree(toolInput.toString()));
    assertEquals(message.at("/content/0/thinking").asText(), reasoning.toString());
    assertEquals(message.at("/content/1/text").asText(), text.toString());
    JsonNode metadata = tree(events.get(events.size() - 1).payload());
    assertEquals(message.at("/usage/input_tokens").asLong(), metadata.at("/usage/inputTokens").asLong());
    assertEquals(message.at("/usage/output_tokens").asLong(), metadata.at("/usage/outputTokens").asLong());
    assertEquals(0, metadata.at("/metrics/latencyMs").asLong());
  }

  @Test
  void theLatencyIsReadWhenTheAnswerEnds() {
    long[] now = {0};
    LongSupplier clock = () -> now[0];
    ConverseStreamTranslator translator = new ConverseStreamTranslator(clock);
    translator.onAnthropicEvent("message_start", Buffer.buffer(START));
    now[0] = 345;
    List<ConverseEvent> end = translator.onAnthropicEvent("message_stop", Buffer.buffer("{\"type\":\"message_stop\"}"));
    assertEquals(345, tree(end.get(1).payload()).at("/metrics/latencyMs").asLong());
  }

  @Test
  void aTextBlockWithoutDeltasStillReachesTheClientAndUsageFollowsMessageDelta() {
    ConverseStreamTranslator translator = new ConverseStreamTranslator();
    List<ConverseEvent> events = new ArrayList<>();
    events.addAll(on(translator, "message_start", START));
    events.addAll(on(translator, "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    events.addAll(on(translator, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    events.addAll(on(translator, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
        + "\"max_tokens\"},\"usage\":{\"output_tokens\":7,\"cache_read_input_tokens\":100,"
        + "\"cache_creation_input_tokens\":20}}"));
    events.addAll(on(translator, "message_stop", "{\"type\":\"message_stop\"}"));
    assertEquals(List.of("messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"),
        events.stream().map(ConverseEvent::eventType).toList());
    assertEquals(tree("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"\"}}"), tree(events.get(1).payload()));
    assertEquals(tree("{\"stopReason\":\"max_tokens\"}"), tree(events.get(3).payload()));
    assertEquals(tree("{\"inputTokens\":10,\"outputTokens\":7,\"totalTokens\":137,\"cacheReadInputTokens\":100,"
        + "\"cacheWriteInputTokens\":20}"), tree(events.get(4).payload()).get("usage"));
  }

  @Test
  void aRedactedThinkingBlockIsOneReasoningDelta() {
    ConverseStreamTranslator translator = new ConverseStreamTranslator();
    on(translator, "message_start", START);
    List<ConverseEvent> start = on(translator, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}}");
    List<ConverseEvent> stop = on(translator, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    assertEquals(tree("{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"redactedContent\":\"b3BhcXVl\"}}}"),
        tree(start.get(0).payload()));
    assertEquals(List.of(ConverseEvent.CONTENT_BLOCK_STOP), stop.stream().map(ConverseEvent::eventType).toList());
  }

  @Test
  void anErrorEventBecomesAnExceptionAndEndsTheStream() {
    ConverseStreamTranslator translator = new ConverseStreamTranslator();
    on(translator, "message_start", START);
    List<ConverseEvent> events = on(translator, "error",
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
    assertEquals(1, events.size());
    assertTrue(events.get(0).isException());
    assertEquals(ConverseEvent.SERVICE_UNAVAILABLE, events.get(0).eventType());
    assertEquals(tree("{\"message\":\"Overloaded\"}"), tree(events.get(0).payload()));
    ConverseException late = assertThrows(ConverseException.class,
        () -> on(translator, "message_stop", "{\"type\":\"message_stop\"}"));
    assertEquals("Upstream answer: event 'message_stop' after the end of the stream", late.getMessage());
  }

  @Test
  void errorTypesMapToTheExceptionsABedrockClientRetriesAlike() {
    assertEquals("throttlingException", exceptionFor("rate_limit_error"));
    assertEquals("validationException", exceptionFor("invalid_request_error"));
    assertEquals("internalServerException", exceptionFor("api_error"));
    assertEquals("modelStreamErrorException", exceptionFor("authentication_error"));
  }

  @Test
  void pingsAndUnknownEventTypesGiveNothing() {
    ConverseStreamTranslator translator = new ConverseStreamTranslator();
    assertEquals(List.of(), on(translator, "ping", "{\"type\":\"ping\"}"));
    on(translator, "message_start", START);
    assertEquals(List.of(), on(translator, "future_event", "{\"type\":\"future_event\",\"x\":1}"));
    assertEquals(List.of(), on(translator, null, "{\"type\":\"ping\"}"));
    assertEquals(ConverseEvent.MESSAGE_STOP,
        on(translator, null, "{\"type\":\"message_stop\"}").get(0).eventType());
  }

  @Test
  void refusesEventsOutOfOrder() {
    assertUpstreamFailure("Upstream answer: event 'content_block_delta' before message_start",
        new ConverseStreamTranslator(), "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}");

    ConverseStreamTranslator wrongIndex = started();
    on(wrongIndex, "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    assertUpstreamFailure("Upstream answer: index: block 1 is not open", wrongIndex, "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}");

    ConverseStreamTranslator wrongKind = started();
    on(wrongKind, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
        + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":{}}}");
    assertUpstreamFailure("Upstream answer: delta.type: 'text_delta' in a tool_use block", wrongKind,
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}");

    assertUpstreamFailure("Upstream answer: content_block.type: unsupported block 'server_tool_use'", started(),
        "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"server_tool_use\",\"id\":\"s\",\"name\":\"web_search\",\"input\":{}}}");

    assertUpstreamFailure("Upstream answer: Stream event data is not valid JSON (line 1, column 2)", started(),
        "content_block_stop", "{index");
  }

  /** The translator holds counters and the usage, never a buffer that grows with the answer. */
  @Test
  void itsStateDoesNotGrowWithTheAnswer() {
    Set<Class<?>> bounded = Set.of(boolean.class, int.class, long.class, String.class, Usage.class,
        LongSupplier.class);
    for (Field field : ConverseStreamTranslator.class.getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        assertTrue(bounded.contains(field.getType()) || field.getType().isEnum(), field.toString());
      }
    }
  }

  private static List<ConverseEvent> translateCapture(ConverseStreamTranslator translator) {
    List<ConverseEvent> events = new ArrayList<>();
    for (ConverseFixtures.SseEvent sse : ConverseFixtures.sse(claudeCode("cc2.1.332-sse_thinking_text_tool.txt"))) {
      events.addAll(translator.onAnthropicEvent(sse.event(), Buffer.buffer(sse.data())));
    }
    return events;
  }

  private static String exceptionFor(String anthropicErrorType) {
    return on(new ConverseStreamTranslator(), "error", "{\"type\":\"error\",\"error\":{\"type\":\""
        + anthropicErrorType + "\",\"message\":\"m\"}}").get(0).eventType();
  }

  private static ConverseStreamTranslator started() {
    ConverseStreamTranslator translator = new ConverseStreamTranslator();
    on(translator, "message_start", START);
    return translator;
  }

  private static void assertUpstreamFailure(String message, ConverseStreamTranslator translator, String type,
                                            String data) {
    ConverseException e = assertThrows(ConverseException.class, () -> on(translator, type, data));
    assertEquals(message, e.getMessage());
    assertEquals(FailureCode.UPSTREAM_ERROR, e.code());
  }

  private static List<ConverseEvent> on(ConverseStreamTranslator translator, String type, String data) {
    return translator.onAnthropicEvent(type, Buffer.buffer(data));
  }
}
