package dev.turnpike.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import dev.turnpike.contract.eventstream.EventStreamDecoder;
import dev.turnpike.contract.eventstream.EventStreamMessage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Claude Code's captured Anthropic answers in Bedrock's ConverseStream and Converse shapes (event names, fields and
 * stop reasons as the Bedrock Runtime API reference gives them), framed as an event stream the contract decodes.
 */
class ConverseClientDialectTest {
  private static final String SSE_CAPTURE = "cc2.1.332-sse_thinking_text_tool.txt";
  private static final String MESSAGE_CAPTURE = "cc2.1.332-nonstream_message.json";

  @Test
  void should_stream_the_captured_answer_as_converse_events() throws Exception {
    ConverseClientDialect dialect = new ConverseClientDialect(true, 1 << 20);
    Buffer written = Buffer.buffer();
    for (SseEvents.Event event : SseEvents.split(ClaudeCodeCaptures.bytes(SSE_CAPTURE))) {
      written.appendBuffer(dialect.data(Buffer.buffer("event: " + event.name() + "\ndata: ")
          .appendBuffer(event.data()).appendString("\n\n"), true));
    }

    List<EventStreamMessage> messages = new EventStreamDecoder(1 << 20).push(written);

    EventStreamMessage first = messages.get(0);
    assertEquals("messageStart", first.headers().get(BedrockStreamEvents.EVENT_TYPE));
    assertEquals("event", first.headers().get(BedrockStreamEvents.MESSAGE_TYPE));
    assertEquals("assistant", new JsonObject(first.payload()).getString("role"));
    StringBuilder text = new StringBuilder();
    StringBuilder toolInput = new StringBuilder();
    JsonObject toolStart = null;
    for (EventStreamMessage message : messages) {
      JsonObject payload = new JsonObject(message.payload());
      switch (message.headers().get(BedrockStreamEvents.EVENT_TYPE)) {
        case "contentBlockStart" -> toolStart = payload.getJsonObject("start").getJsonObject("toolUse");
        case "contentBlockDelta" -> {
          JsonObject delta = payload.getJsonObject("delta");
          if (delta.containsKey("text")) {
            text.append(delta.getString("text"));
          } else if (delta.containsKey("toolUse")) {
            toolInput.append(delta.getJsonObject("toolUse").getString("input"));
          }
        }
        default -> { }
      }
    }
    assertEquals("Running it now.", text.toString());
    assertEquals("Bash", toolStart.getString("name"));
    assertEquals("toolu_012d9a8fd43fcd4b26817c02", toolStart.getString("toolUseId"));
    assertEquals(new JsonObject().put("command", "echo hello-from-tool").put("description", "Echo"),
        new JsonObject(toolInput.toString()));
    EventStreamMessage stop = messages.get(messages.size() - 2);
    assertEquals("messageStop", stop.headers().get(BedrockStreamEvents.EVENT_TYPE));
    assertEquals("tool_use", new JsonObject(stop.payload()).getString("stopReason"));
    EventStreamMessage metadata = messages.get(messages.size() - 1);
    assertEquals("metadata", metadata.headers().get(BedrockStreamEvents.EVENT_TYPE));
    JsonObject usage = new JsonObject(metadata.payload()).getJsonObject("usage");
    assertEquals(25, usage.getInteger("inputTokens"));
    assertEquals(42, usage.getInteger("outputTokens"));
  }

  @Test
  void should_end_the_stream_with_an_exception_for_an_error_event_or_a_cut() {
    ConverseClientDialect dialect = new ConverseClientDialect(true, 1 << 20);
    Buffer frame = Buffer.buffer("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
        + "\"message\":\"Slow down\"}}\n\n");

    EventStreamMessage error = new EventStreamDecoder(1 << 20).push(dialect.data(frame, true)).get(0);

    assertEquals("exception", error.headers().get(BedrockStreamEvents.MESSAGE_TYPE));
    assertEquals("throttlingException", error.headers().get(BedrockStreamEvents.EXCEPTION_TYPE));
    assertEquals("Slow down", new JsonObject(error.payload()).getString("message"));

    EventStreamMessage cut = new EventStreamDecoder(1 << 20).push(dialect.streamError(
        Failure.of(FailureCode.UPSTREAM_TIMEOUT, "Provider 'anthropic' went quiet"))).get(0);
    assertEquals("modelTimeoutException", cut.headers().get(BedrockStreamEvents.EXCEPTION_TYPE));
  }

  @Test
  void should_answer_converse_with_the_held_message_translated() throws Exception {
    ConverseClientDialect dialect = new ConverseClientDialect(false, 1 << 20);
    Buffer message = ClaudeCodeCaptures.bytes(MESSAGE_CAPTURE);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    dialect.head(headers, false);

    assertEquals(0, dialect.data(message.getBuffer(0, 100), false).length());
    assertEquals(0, dialect.data(message.getBuffer(100, message.length()), false).length());
    JsonObject answer = new JsonObject(dialect.end());

    assertEquals("application/json", headers.get("content-type"));
    JsonObject output = answer.getJsonObject("output").getJsonObject("message");
    assertEquals("assistant", output.getString("role"));
    assertEquals("Running it now.", output.getJsonArray("content").getJsonObject(1).getString("text"));
    JsonObject toolUse = output.getJsonArray("content").getJsonObject(2).getJsonObject("toolUse");
    assertEquals("Bash", toolUse.getString("name"));
    assertEquals("echo hello-from-tool", toolUse.getJsonObject("input").getString("command"));
    assertEquals("tool_use", answer.getString("stopReason"));
    assertEquals(25, answer.getJsonObject("usage").getInteger("inputTokens"));
    assertEquals(42, answer.getJsonObject("usage").getInteger("outputTokens"));
  }

  @Test
  void should_fail_the_attempt_when_the_answer_is_too_large_or_not_a_message() {
    ConverseClientDialect small = new ConverseClientDialect(false, 64);
    assertEquals(FailureCode.UPSTREAM_ERROR, assertThrows(Failure.FailureException.class,
        () -> small.data(Buffer.buffer("x".repeat(65)), false)).failure().code());

    ConverseClientDialect odd = new ConverseClientDialect(false, 1 << 20);
    odd.data(Buffer.buffer("{\"type\":\"completion\"}"), false);
    assertEquals(FailureCode.UPSTREAM_ERROR, assertThrows(Failure.FailureException.class, odd::end)
        .failure().code());
  }

  @Test
  void should_start_a_fresh_stream_for_a_new_attempt() {
    ConverseClientDialect dialect = new ConverseClientDialect(true, 1 << 20);
    Buffer start = Buffer.buffer("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":1,"
        + "\"output_tokens\":1}}}\n\n");
    dialect.data(start, true);

    dialect.attemptStarted();

    assertEquals("messageStart", new EventStreamDecoder(1 << 20).push(dialect.data(start, true)).get(0).headers()
        .get(BedrockStreamEvents.EVENT_TYPE));
    assertNull(dialect.end(), "a stream has nothing to add at its end");
  }
}
