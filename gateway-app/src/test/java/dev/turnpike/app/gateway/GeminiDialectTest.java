package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeGeminiUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dialect {@code gemini} over real HTTP: a Claude Code request in, {@code generateContent} out to a fake Gemini API
 * that refuses what Gemini refuses, Anthropic back.
 */
class GeminiDialectTest {
  private static final String UPSTREAM_KEY = "AIzaSyFakeGeminiKeyForTurnpikeTests01";
  private static Vertx fakes;
  private static FakeGeminiUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    upstream = new FakeGeminiUpstream(fakes).apiKey(UPSTREAM_KEY).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject()
            .put("gemini", GatewayHarness.provider("gemini", upstream.baseUrl(), UPSTREAM_KEY))
            .put("gemini-badkey", GatewayHarness.provider("gemini", upstream.baseUrl(), "AIzaSyWrongKey0000000000"))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  private static String claudeCodeRequest(String model) throws Exception {
    return ClaudeCodeCaptures.body("cc2.1.197-messages-tool-first.request.json", model);
  }

  private static String simple(String model, boolean stream) {
    return new JsonObject().put("model", model).put("max_tokens", 64).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 13})
  void should_translate_a_streamed_tool_call_when_upstream_splits_bytes_anywhere(int splitEvery) throws Exception {
    upstream.faults(Faults.none().splitEvery(splitEvery));

    HttpResponse<String> response = gateway.messages(claudeCodeRequest("gemini/gemini-2.5-pro"));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest sent = upstream.requests().get(0);
    assertEquals("/v1beta/models/gemini-2.5-pro:streamGenerateContent", sent.path());
    assertEquals("alt=sse", sent.query(), "the key never travels in the URL");
    assertEquals(UPSTREAM_KEY, sent.header("x-goog-api-key"));
    assertFalse(sent.contains(GatewayHarness.CLIENT_KEY), "client key leaked upstream");
    assertNull(sent.header("x-api-key"));

    List<Sse> events = Sse.parse(response.body());
    List<String> names = Sse.names(events);
    assertEquals("message_start", names.get(0));
    assertEquals(List.of("message_delta", "message_stop"), names.subList(names.size() - 2, names.size()));
    Sse start = events.stream().filter(e -> e.event().equals("content_block_start")
        && "tool_use".equals(e.data().getJsonObject("content_block").getString("type"))).findFirst().orElseThrow();
    assertEquals("Bash", start.data().getJsonObject("content_block").getString("name"));
    int index = start.data().getInteger("index");
    StringBuilder json = new StringBuilder();
    events.stream().filter(e -> e.event().equals("content_block_delta") && e.data().getInteger("index") == index)
        .forEach(e -> json.append(e.data().getJsonObject("delta").getString("partial_json")));
    assertTrue(new JsonObject(json.toString()).getString("command").startsWith("echo turnpike > "));
    JsonObject delta = events.get(events.size() - 2).data();
    assertEquals("tool_use", delta.getJsonObject("delta").getString("stop_reason"));
    assertTrue(delta.getJsonObject("usage").getInteger("output_tokens") > 0);
  }

  @Test
  void should_return_the_signature_gemini_3_insists_on_when_claude_code_sends_the_tool_result() throws Exception {
    String first = claudeCodeRequest("gemini/gemini-3-pro-preview");
    HttpResponse<String> call = gateway.messages(first);
    assertEquals(200, call.statusCode(), call.body());
    JsonObject toolUse = toolUse(Sse.parse(call.body()));

    HttpResponse<String> answer = gateway.messages(withToolResult(first, toolUse, toolUse.getString("id")));

    assertEquals(200, answer.statusCode(), answer.body());
    assertTrue(Sse.text(Sse.parse(answer.body())).contains(upstream.marker()), answer.body());
    String issued = upstream.issuedToolCallIds().get(upstream.issuedToolCallIds().size() - 1);
    assertTrue(upstream.receivedToolResultFor(issued), "the functionResponse carries Gemini's call id");
    JsonArray contents = upstream.requests().get(1).json().getJsonArray("contents");
    JsonObject replayedCall = contents.stream().map(c -> (JsonObject) c)
        .filter(c -> "model".equals(c.getString("role"))).reduce((a, b) -> b).orElseThrow();
    JsonObject callPart = replayedCall.getJsonArray("parts").stream().map(p -> (JsonObject) p)
        .filter(p -> p.containsKey("functionCall")).findFirst().orElseThrow();
    assertNotNull(callPart.getString("thoughtSignature"), "the signature went back with the call");
    assertEquals(issued, callPart.getJsonObject("functionCall").getString("id"));
  }

  @Test
  void should_be_refused_by_gemini_3_when_the_signature_in_the_tool_id_was_tampered_with() throws Exception {
    String first = claudeCodeRequest("gemini/gemini-3-pro-preview");
    JsonObject toolUse = toolUse(Sse.parse(gateway.messages(first).body()));
    String id = toolUse.getString("id");
    String tampered = id.substring(0, id.length() - 4) + (id.endsWith("AAAA") ? "BBBB" : "AAAA");
    toolUse.put("id", tampered);

    HttpResponse<String> answer = gateway.messages(withToolResult(first, toolUse, tampered));

    assertEquals(400, answer.statusCode(), answer.body());
    JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertTrue(error.getString("message").contains("Corrupted thought signature"), answer.body());
  }

  @Test
  void should_answer_parallel_calls_in_call_order_when_results_come_back_reversed() throws Exception {
    upstream.script(request -> {
      boolean answered = request.getJsonArray("contents").stream()
          .anyMatch(c -> ((JsonObject) c).getJsonArray("parts").stream()
              .anyMatch(p -> ((JsonObject) p).containsKey("functionResponse")));
      return answered ? Reply.text("both listed")
          : Reply.message(new Reply.ToolCall(upstream.nextToolCallId(), "Bash", new JsonObject().put("command", "ls /a")),
              new Reply.ToolCall(upstream.nextToolCallId(), "Bash", new JsonObject().put("command", "ls /b")));
    });
    String first = claudeCodeRequest("gemini/gemini-3-flash-preview");
    List<Sse> events = Sse.parse(gateway.messages(first).body());
    List<JsonObject> calls = events.stream().filter(e -> e.event().equals("content_block_start")
            && "tool_use".equals(e.data().getJsonObject("content_block").getString("type")))
        .map(e -> e.data().getJsonObject("content_block")).toList();
    assertEquals(2, calls.size(), Sse.names(events).toString());

    JsonObject body = new JsonObject(first);
    JsonArray assistant = new JsonArray();
    calls.forEach(c -> assistant.add(c.copy().put("input", new JsonObject().put("command",
        c == calls.get(0) ? "ls /a" : "ls /b"))));
    body.getJsonArray("messages").add(new JsonObject().put("role", "assistant").put("content", assistant));
    body.getJsonArray("messages").add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(toolResult(calls.get(1).getString("id"), "b.txt"))
        .add(toolResult(calls.get(0).getString("id"), "a.txt"))));
    HttpResponse<String> answer = gateway.messages(body.encode());

    assertEquals(200, answer.statusCode(), answer.body());
    JsonArray contents = upstream.requests().get(1).json().getJsonArray("contents");
    JsonArray responses = contents.getJsonObject(contents.size() - 1).getJsonArray("parts");
    assertEquals("a.txt", responses.getJsonObject(0).getJsonObject("functionResponse").getJsonObject("response")
        .getString("output"));
    assertEquals("b.txt", responses.getJsonObject(1).getJsonObject("functionResponse").getJsonObject("response")
        .getString("output"));
  }

  @Test
  void should_stream_gemini_thoughts_as_thinking_only_when_the_client_asked_for_a_thinking_budget() throws Exception {
    upstream.script(request -> Reply.message(new Reply.Thinking("Weighing both options carefully.", "unused"),
        new Reply.Text("Option B.")));
    JsonObject thinking = new JsonObject(simple("gemini/gemini-2.5-flash", true)).put("max_tokens", 4096)
        .put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 2048));

    List<Sse> withThoughts = Sse.parse(gateway.messages(thinking.encode()).body());
    List<Sse> without = Sse.parse(gateway.messages(simple("gemini/gemini-2.5-flash", true)).body());

    JsonObject config = upstream.requests().get(0).json().getJsonObject("generationConfig");
    assertEquals(2048, config.getJsonObject("thinkingConfig").getInteger("thinkingBudget"));
    StringBuilder thought = new StringBuilder();
    withThoughts.stream().filter(e -> e.event().equals("content_block_delta")
            && "thinking_delta".equals(e.data().getJsonObject("delta").getString("type")))
        .forEach(e -> thought.append(e.data().getJsonObject("delta").getString("thinking")));
    assertEquals("Weighing both options carefully.", thought.toString());
    assertEquals("Option B.", Sse.text(withThoughts));
    assertFalse(upstream.requests().get(1).json().getJsonObject("generationConfig").containsKey("thinkingConfig"));
    assertTrue(without.stream().noneMatch(e -> e.event().equals("content_block_start")
        && "thinking".equals(e.data().getJsonObject("content_block").getString("type"))));
  }

  @Test
  void should_translate_a_whole_answer_when_not_streaming() throws Exception {
    upstream.script(request -> Reply.text("plain answer \u00e9").withUsage(120, 7));

    HttpResponse<String> response = gateway.messages(simple("gemini/gemini-2.5-flash", false));

    assertEquals(200, response.statusCode(), response.body());
    JsonObject message = new JsonObject(response.body());
    assertEquals("message", message.getString("type"));
    assertEquals("gemini/gemini-2.5-flash", message.getString("model"));
    assertEquals("plain answer \u00e9", message.getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals("end_turn", message.getString("stop_reason"));
    assertEquals(120, message.getJsonObject("usage").getInteger("input_tokens"));
    assertEquals(7, message.getJsonObject("usage").getInteger("output_tokens"));
    assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", upstream.requests().get(0).path());
  }

  @Test
  void should_count_tokens_with_gemini_count_tokens() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens",
        claudeCodeRequest("gemini/gemini-2.5-pro"), Map.of("x-api-key", GatewayHarness.CLIENT_KEY));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest call = upstream.requests().get(0);
    assertEquals("/v1beta/models/gemini-2.5-pro:countTokens", call.path());
    assertEquals("models/gemini-2.5-pro", call.json().getJsonObject("generateContentRequest").getString("model"));
    assertEquals(call.body().length() / 4, new JsonObject(response.body()).getInteger("input_tokens"));
  }

  @Test
  void should_map_resource_exhausted_to_a_rate_limit_with_google_retry_delay() throws Exception {
    upstream.script(request -> Reply.rateLimited(7));

    HttpResponse<String> response = gateway.messages(claudeCodeRequest("gemini/gemini-2.5-pro"));

    assertEquals(429, response.statusCode(), response.body());
    assertEquals("rate_limit_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
    assertEquals("7", response.headers().firstValue("retry-after").orElse(""), "RetryInfo.retryDelay");
  }

  @Test
  void should_blame_the_provider_key_not_the_client_when_gemini_refuses_the_key() throws Exception {
    HttpResponse<String> response = gateway.messages(simple("gemini-badkey/gemini-2.5-pro", true));

    assertEquals(502, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertTrue(error.getString("message").contains("gemini-badkey") && error.getString("message")
        .contains("API key not valid"), response.body());
    assertFalse(response.body().contains("AIzaSyWrongKey"), "no key in the error");
  }

  @Test
  void should_end_the_stream_with_an_error_event_when_upstream_breaks_mid_stream() throws Exception {
    upstream.script(request -> Reply.text("a long answer that is cut"));
    upstream.faults(Faults.none().closeAfterEvents(2));

    HttpResponse<String> response = gateway.messages(simple("gemini/gemini-2.5-pro", true));

    assertEquals(200, response.statusCode());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("message_start", events.get(0).event());
    Sse last = events.get(events.size() - 1);
    assertEquals("error", last.event());
    assertNotNull(last.data().getJsonObject("error").getString("message"));
  }

  @Test
  void should_end_the_stream_with_google_words_when_gemini_reports_an_error_inside_it() throws Exception {
    upstream.script(request -> Reply.message(new Reply.Text("partial "),
        new Reply.StreamError("overloaded_error", "The model is overloaded. Please try again later.")));

    HttpResponse<String> response = gateway.messages(simple("gemini/gemini-2.5-pro", true));

    List<Sse> events = Sse.parse(response.body());
    Sse last = events.get(events.size() - 1);
    assertEquals("error", last.event(), response.body());
    assertTrue(last.data().getJsonObject("error").getString("message").contains("The model is overloaded"));
    assertTrue(Sse.text(events).startsWith("partial"));
  }

  // ---- helpers ----

  private static JsonObject toolUse(List<Sse> events) {
    return events.stream().filter(e -> e.event().equals("content_block_start")
            && "tool_use".equals(e.data().getJsonObject("content_block").getString("type")))
        .map(e -> e.data().getJsonObject("content_block").copy()).findFirst().orElseThrow();
  }

  /** The first request, the assistant's tool call as Claude Code keeps it, and its result. */
  private static String withToolResult(String first, JsonObject toolUse, String resultFor) {
    JsonObject body = new JsonObject(first);
    JsonObject call = toolUse.copy().put("input", new JsonObject().put("command", "echo turnpike > x")
        .put("description", "Write the turnpike marker file"));
    body.getJsonArray("messages").add(new JsonObject().put("role", "assistant")
        .put("content", new JsonArray().add(call)));
    body.getJsonArray("messages").add(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(toolResult(resultFor, "")).add(new JsonObject().put("type", "text")
            .put("text", "<system-reminder>done</system-reminder>"))));
    return body.encode();
  }

  private static JsonObject toolResult(String id, String content) {
    return new JsonObject().put("type", "tool_result").put("tool_use_id", id).put("content", content);
  }
}
