package dev.turnpike.contract.openai;

import static dev.turnpike.contract.openai.OpenAiFixtures.META;
import static dev.turnpike.contract.openai.OpenAiFixtures.claudeCode;
import static dev.turnpike.contract.openai.OpenAiFixtures.resource;
import static dev.turnpike.contract.openai.OpenAiFixtures.sse;
import static dev.turnpike.contract.openai.OpenAiFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatCompletionsStreamTranslatorTest {
  private static final ChatAnswerOptions WITH_USAGE = new ChatAnswerOptions(true, true, false);
  private static final ChatAnswerOptions WITHOUT_USAGE = new ChatAnswerOptions(true, false, false);
  private static final String START = "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\","
      + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":10,"
      + "\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":20,\"output_tokens\":1}}}";

  /** The client's view: every {@code data:} payload, and no event has an {@code event:} line. */
  private static List<String> payloads(Buffer out) {
    List<String> payloads = new ArrayList<>();
    for (OpenAiFixtures.SseEvent event : sse(out)) {
      assertNull(event.event(), "OpenAI's chunks carry no event: line");
      payloads.add(event.data());
    }
    return payloads;
  }

  private static Buffer feed(ChatCompletionsStreamTranslator translator, String type, String data) {
    return translator.onAnthropicEvent(type, Buffer.buffer(data));
  }

  private static Buffer translateAll(ChatCompletionsStreamTranslator translator, Buffer anthropicSse) {
    Buffer out = Buffer.buffer();
    for (OpenAiFixtures.SseEvent event : sse(anthropicSse)) {
      out.appendBuffer(translator.onAnthropicEvent(event.event(), Buffer.buffer(event.data())));
    }
    return out;
  }

  private static String blockStart(int index, String block) {
    return "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + block + "}";
  }

  private static String delta(int index, String delta) {
    return "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}";
  }

  private static String stop(int index) {
    return "{\"type\":\"content_block_stop\",\"index\":" + index + "}";
  }

  private static String jsonDelta(String fragment) {
    return new JsonObject().put("type", "input_json_delta").put("partial_json", fragment).encode();
  }

  private static final String MESSAGE_DELTA = "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
      + "\"usage\":{\"output_tokens\":33}}";
  private static final String MESSAGE_STOP = "{\"type\":\"message_stop\"}";

  @Test
  void translatesTheClaudeCodeStreamToTheExpectedChunks() {
    Buffer out = translateAll(new ChatCompletionsStreamTranslator(META, WITH_USAGE),
        claudeCode("cc2.1.332-sse_thinking_text_tool.txt"));
    List<String> payloads = payloads(out);
    JsonNode expected = tree(resource("thinking-text-tool.chat-stream.json"));
    assertEquals(expected.size(), payloads.size(), payloads.toString());
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i).isTextual()) {
        assertEquals(expected.get(i).asText(), payloads.get(i), "chunk " + i);
      } else {
        assertEquals(expected.get(i), tree(payloads.get(i)), "chunk " + i);
      }
    }
    assertFalse(out.toString().contains("I should run the command."), "thinking is dropped");
  }

  @Test
  void theChunksAddUpToTheUnstreamedTranslationOfTheSameAnswer() {
    List<String> payloads = payloads(translateAll(new ChatCompletionsStreamTranslator(META, WITH_USAGE),
        claudeCode("cc2.1.332-sse_thinking_text_tool.txt")));
    JsonNode whole = tree(ChatCompletionsResponseTranslator.fromAnthropic(
        claudeCode("cc2.1.332-nonstream_message.json"), META, ChatAnswerOptions.WHOLE));
    StringBuilder content = new StringBuilder();
    StringBuilder arguments = new StringBuilder();
    String finish = null;
    JsonNode usage = null;
    for (String payload : payloads.subList(0, payloads.size() - 1)) {
      JsonNode chunk = tree(payload);
      assertEquals(whole.get("id"), chunk.get("id"));
      if (chunk.get("choices").isEmpty()) {
        usage = chunk.get("usage");
        continue;
      }
      JsonNode delta = chunk.at("/choices/0/delta");
      content.append(delta.path("content").asText(""));
      arguments.append(delta.at("/tool_calls/0/function/arguments").asText(""));
      if (!chunk.at("/choices/0/finish_reason").isNull()) {
        finish = chunk.at("/choices/0/finish_reason").asText();
      }
    }
    JsonNode message = whole.at("/choices/0/message");
    assertEquals(message.get("content").asText(), content.toString());
    assertEquals(tree(message.at("/tool_calls/0/function/arguments").asText()), tree(arguments.toString()));
    assertEquals(whole.at("/choices/0/finish_reason").asText(), finish);
    assertEquals(whole.get("usage"), usage);
  }

  @Test
  void parallelToolCallsGetTheirOwnIndexInTheOrderTheyStart() {
    ChatCompletionsStreamTranslator translator = new ChatCompletionsStreamTranslator(META, WITHOUT_USAGE);
    Buffer out = Buffer.buffer();
    out.appendBuffer(feed(translator, "message_start", START));
    out.appendBuffer(feed(translator, "content_block_start", blockStart(0, "{\"type\":\"text\",\"text\":\"\"}")));
    out.appendBuffer(feed(translator, "content_block_delta", delta(0, "{\"type\":\"text_delta\",\"text\":\"Both.\"}")));
    out.appendBuffer(feed(translator, "content_block_stop", stop(0)));
    String[][] calls = {{"toolu_a", "{\"q\":", "\"a\"}"}, {"toolu_b", "{\"q\"", ":\"b\"}"}};
    for (int i = 0; i < calls.length; i++) {
      int block = i + 1;
      out.appendBuffer(feed(translator, "content_block_start", blockStart(block,
          "{\"type\":\"tool_use\",\"id\":\"" + calls[i][0] + "\",\"name\":\"lookup\",\"input\":{}}")));
      out.appendBuffer(feed(translator, "content_block_delta", delta(block, jsonDelta(""))));
      out.appendBuffer(feed(translator, "content_block_delta", delta(block, jsonDelta(calls[i][1]))));
      out.appendBuffer(feed(translator, "content_block_delta", delta(block, jsonDelta(calls[i][2]))));
      out.appendBuffer(feed(translator, "content_block_stop", stop(block)));
    }
    out.appendBuffer(feed(translator, "message_delta", MESSAGE_DELTA));
    out.appendBuffer(feed(translator, "message_stop", MESSAGE_STOP));

    List<String> payloads = payloads(out);
    assertEquals("[DONE]", payloads.get(payloads.size() - 1));
    StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
    List<String> ids = new ArrayList<>();
    for (String payload : payloads.subList(0, payloads.size() - 1)) {
      JsonNode chunk = tree(payload);
      assertFalse(chunk.has("usage"), "no usage field without include_usage");
      for (JsonNode call : chunk.at("/choices/0/delta").path("tool_calls")) {
        int index = call.get("index").asInt();
        if (call.has("id")) {
          ids.add(call.get("id").asText());
          assertEquals("function", call.get("type").asText());
          assertEquals("lookup", call.at("/function/name").asText());
          assertEquals(ids.size() - 1, index, "a call's index is its place among the calls");
        } else {
          assertFalse(call.at("/function/arguments").asText().isEmpty(), "no empty fragments");
        }
        arguments[index].append(call.at("/function/arguments").asText());
      }
    }
    assertEquals(List.of("toolu_a", "toolu_b"), ids);
    assertEquals(tree("{\"q\":\"a\"}"), tree(arguments[0].toString()));
    assertEquals(tree("{\"q\":\"b\"}"), tree(arguments[1].toString()));
    assertEquals("tool_calls", tree(payloads.get(payloads.size() - 2)).at("/choices/0/finish_reason").asText());
  }

  @Test
  void fragmentsCutInsideEscapesAndSurrogatePairsJoinToTheSameArguments() {
    String arguments = new JsonObject().put("text", "caf\u00e9 \"quoted\" \\ \ud83d\ude00 line\nbreak").encode();
    ChatCompletionsStreamTranslator translator = new ChatCompletionsStreamTranslator(META, WITHOUT_USAGE);
    Buffer out = Buffer.buffer();
    out.appendBuffer(feed(translator, "message_start", START));
    out.appendBuffer(feed(translator, "content_block_start",
        blockStart(0, "{\"type\":\"tool_use\",\"id\":\"toolu_x\",\"name\":\"say\",\"input\":{}}")));
    for (int i = 0; i < arguments.length(); i += 3) {
      String piece = arguments.substring(i, Math.min(arguments.length(), i + 3)); // splits \" and the emoji's pair
      out.appendBuffer(feed(translator, "content_block_delta", delta(0, jsonDelta(piece))));
    }
    out.appendBuffer(feed(translator, "content_block_stop", stop(0)));
    out.appendBuffer(feed(translator, "message_stop", MESSAGE_STOP));
    StringBuilder joined = new StringBuilder();
    for (String payload : payloads(out)) {
      if (!payload.equals("[DONE]")) {
        joined.append(tree(payload).at("/choices/0/delta/tool_calls/0/function/arguments").asText(""));
      }
    }
    assertEquals(arguments, joined.toString());
  }

  @Test
  void theUsageChunkCountsTheCacheInThePrompt() {
    ChatCompletionsStreamTranslator translator = new ChatCompletionsStreamTranslator(META, WITH_USAGE);
    feed(translator, "message_start", START);
    feed(translator, "message_delta", MESSAGE_DELTA);
    List<String> payloads = payloads(feed(translator, "message_stop", MESSAGE_STOP));
    JsonNode usage = tree(payloads.get(1));
    assertEquals(0, usage.get("choices").size());
    assertEquals(130, usage.at("/usage/prompt_tokens").asLong());
    assertEquals(33, usage.at("/usage/completion_tokens").asLong());
    assertEquals(163, usage.at("/usage/total_tokens").asLong());
    assertEquals(100, usage.at("/usage/prompt_tokens_details/cached_tokens").asLong());
    assertEquals(20, usage.at("/usage/prompt_tokens_details/cache_write_tokens").asLong());
    assertTrue(translator.finished());
  }

  @Test
  void anUpstreamErrorEventEndsTheStreamWithAnErrorChunk() {
    ChatCompletionsStreamTranslator translator = new ChatCompletionsStreamTranslator(META, WITH_USAGE);
    feed(translator, "message_start", START);
    List<String> payloads = payloads(feed(translator, "error",
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    assertEquals(1, payloads.size(), "no [DONE] after an error");
    assertEquals(tree("{\"error\":{\"message\":\"Overloaded\",\"type\":\"api_error\",\"param\":null,\"code\":null}}"),
        tree(payloads.get(0)));
    assertTrue(translator.finished());
    ChatCompletionsException after = assertThrows(ChatCompletionsException.class,
        () -> feed(translator, "message_stop", MESSAGE_STOP));
    assertEquals(FailureCode.UPSTREAM_ERROR, after.code());
    JsonNode rateLimited = tree(payloads(feed(new ChatCompletionsStreamTranslator(META, WITH_USAGE), "error",
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")).get(0));
    assertEquals("rate_limit_exceeded", rateLimited.at("/error/code").asText());
  }

  @Test
  void theDeprecatedFunctionsStreamOneFunctionCall() {
    ChatCompletionsStreamTranslator translator = new ChatCompletionsStreamTranslator(META,
        new ChatAnswerOptions(true, false, true));
    Buffer out = Buffer.buffer();
    out.appendBuffer(feed(translator, "message_start", START));
    for (int block = 0; block < 2; block++) {
      out.appendBuffer(feed(translator, "content_block_start", blockStart(block,
          "{\"type\":\"tool_use\",\"id\":\"toolu_" + block + "\",\"name\":\"f" + block + "\",\"input\":{}}")));
      out.appendBuffer(feed(translator, "content_block_delta", delta(block, jsonDelta("{}"))));
      out.appendBuffer(feed(translator, "content_block_stop", stop(block)));
    }
    out.appendBuffer(feed(translator, "message_delta", MESSAGE_DELTA));
    out.appendBuffer(feed(translator, "message_stop", MESSAGE_STOP));
    List<String> payloads = payloads(out);
    assertEquals(5, payloads.size(), payloads.toString()); // role, name, arguments, finish, [DONE]
    assertEquals("f0", tree(payloads.get(1)).at("/choices/0/delta/function_call/name").asText());
    assertEquals("{}", tree(payloads.get(2)).at("/choices/0/delta/function_call/arguments").asText());
    assertEquals("function_call", tree(payloads.get(3)).at("/choices/0/finish_reason").asText());
    assertFalse(out.toString().contains("tool_calls"));
  }

  @Test
  void eventsOutOfOrderAreTheUpstreamsFaultAndPingsAndNewEventTypesAreNothing() {
    ChatCompletionsStreamTranslator translator = new ChatCompletionsStreamTranslator(META, WITH_USAGE);
    assertEquals(0, feed(translator, "ping", "{\"type\":\"ping\"}").length());
    assertEquals(0, feed(translator, "some_future_event", "{\"type\":\"some_future_event\"}").length());
    assertEquals(FailureCode.UPSTREAM_ERROR, assertThrows(ChatCompletionsException.class,
        () -> feed(translator, "content_block_delta", delta(0, "{\"type\":\"text_delta\",\"text\":\"x\"}"))).code());
    feed(translator, "message_start", START);
    assertThrows(ChatCompletionsException.class,
        () -> feed(translator, "content_block_delta", delta(3, "{\"type\":\"text_delta\",\"text\":\"x\"}")));
    assertThrows(ChatCompletionsException.class, () -> feed(translator, "message_start", START));
    assertThrows(ChatCompletionsException.class, () -> feed(translator, "content_block_start", "not json"));
  }
}
