package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeOpenAiUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.Reply;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.Operation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenAI surface over real HTTP: an OpenAI client's Chat Completions request through a node to the fake
 * Anthropic upstream (and the fake OpenAI one), with virtual keys enforced, answered in OpenAI's form.
 */
class OpenAiSurfaceTest {
  private static final String ANTHROPIC_KEY = "sk-ant-upstream-configured";
  private static final String OPENAI_KEY = "sk-openai-upstream-configured";
  private static final String VIRTUAL_KEY = "tp-vk-alice-secret";
  private static final Map<String, String> AUTH = Map.of("authorization", "Bearer " + VIRTUAL_KEY,
      "content-type", "application/json", "openai-organization", "org-client", "x-stainless-retry-count", "0");
  private static Vertx fakes;
  private static FakeAnthropicUpstream anthropic;
  private static FakeOpenAiUpstream openai;
  private static GatewayHarness gateway;
  private static Records records;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    anthropic = new FakeAnthropicUpstream(fakes).requireKey(ANTHROPIC_KEY).start().await();
    openai = new FakeOpenAiUpstream(fakes).requireKey(OPENAI_KEY).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", anthropic.baseUrl(), ANTHROPIC_KEY)
                .put("models", new JsonArray().add("claude-sonnet-4-5")))
            .put("openai", GatewayHarness.provider("openai", openai.baseUrl(), OPENAI_KEY)))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true)
            .put("virtual_keys", new JsonArray()
                .add(new JsonObject().put("id", "vk-alice").put("value", VIRTUAL_KEY))
                .add(new JsonObject().put("id", "vk-broke").put("value", "tp-vk-broke")
                    .put("budget", new JsonObject().put("max_usd", 0.0000001).put("reset", "1d"))))));
    records = Records.of(gateway.node().vertx());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    anthropic.clearRequests();
    openai.clearRequests();
    anthropic.faults(Faults.none()).claudeCodeScript();
    openai.faults(Faults.none()).claudeCodeScript();
  }

  private static JsonObject chat(String model, boolean stream) {
    JsonObject body = new JsonObject().put("model", model)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "developer").put("content", "Be brief."))
            .add(new JsonObject().put("role", "user").put("content", "Weather in Boston and Madison?")));
    if (stream) {
      body.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body;
  }

  private static JsonArray weatherTool() {
    return new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
        .put("name", "get_current_weather").put("description", "Get the current weather in a given location")
        .put("parameters", new JsonObject().put("type", "object")
            .put("properties", new JsonObject().put("location", new JsonObject().put("type", "string")))
            .put("required", new JsonArray().add("location")))));
  }

  private static HttpResponse<String> post(String path, JsonObject body) throws Exception {
    return gateway.post(path, body.encode(), AUTH);
  }

  /** The client's view of a stream: every {@code data:} payload; fails on an {@code event:} line. */
  private static List<String> payloads(String body) {
    List<String> payloads = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      if (event.isBlank()) {
        continue;
      }
      StringBuilder data = new StringBuilder();
      for (String line : event.split("\n")) {
        assertFalse(line.startsWith("event:"), "OpenAI's chunks have no event: line: " + event);
        if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
      payloads.add(data.toString());
    }
    return payloads;
  }

  private static JsonObject error(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 13})
  void should_stream_parallel_tool_calls_from_anthropic_when_upstream_splits_bytes_anywhere(int splitEvery)
      throws Exception {
    anthropic.faults(Faults.none().splitEvery(splitEvery));
    String boston = anthropic.nextToolCallId();
    String madison = anthropic.nextToolCallId();
    anthropic.script(request -> Reply.message(new Reply.Text("Checking both \u00e9\u2713."),
        new Reply.ToolCall(boston, "get_current_weather", new JsonObject().put("location", "Boston, MA")),
        new Reply.ToolCall(madison, "get_current_weather", new JsonObject().put("location", "Madison, WI")))
        .withUsage(120, 30));

    HttpResponse<String> response = post("/v1/chat/completions",
        chat("anthropic/claude-sonnet-4-5", true).put("tools", weatherTool()));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    assertEquals(response.headers().firstValue("x-turnpike-request-id").orElseThrow(),
        response.headers().firstValue("x-request-id").orElse(null));
    RecordedRequest sent = anthropic.requests("/v1/messages").get(0);
    JsonObject upstreamBody = sent.json();
    assertEquals("claude-sonnet-4-5", upstreamBody.getString("model"));
    assertTrue(upstreamBody.getBoolean("stream"));
    assertEquals("Be brief.", upstreamBody.getJsonArray("system").getJsonObject(0).getString("text"));
    assertEquals("object", upstreamBody.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema")
        .getString("type"));
    assertEquals(ANTHROPIC_KEY, sent.header("x-api-key"));
    assertFalse(sent.contains(VIRTUAL_KEY), "the client's key never goes upstream");
    assertNull(sent.header("openai-organization"));
    assertNull(sent.header("x-stainless-retry-count"));

    List<String> payloads = payloads(response.body());
    assertEquals("[DONE]", payloads.get(payloads.size() - 1));
    String id = null;
    StringBuilder content = new StringBuilder();
    List<String> callIds = new ArrayList<>();
    List<StringBuilder> arguments = new ArrayList<>();
    String finish = null;
    JsonObject usage = null;
    for (String payload : payloads.subList(0, payloads.size() - 1)) {
      JsonObject chunk = new JsonObject(payload);
      assertEquals("chat.completion.chunk", chunk.getString("object"));
      id = id == null ? chunk.getString("id") : id;
      assertEquals(id, chunk.getString("id"), "one id for every chunk");
      if (chunk.getJsonArray("choices").isEmpty()) {
        usage = chunk.getJsonObject("usage");
        continue;
      }
      JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
      JsonObject delta = choice.getJsonObject("delta");
      content.append(delta.getString("content", ""));
      for (Object o : delta.getJsonArray("tool_calls", new JsonArray())) {
        JsonObject call = (JsonObject) o;
        int index = call.getInteger("index");
        if (call.containsKey("id")) {
          callIds.add(call.getString("id"));
          arguments.add(new StringBuilder());
          assertEquals("get_current_weather", call.getJsonObject("function").getString("name"));
        }
        arguments.get(index).append(call.getJsonObject("function").getString("arguments"));
      }
      if (choice.getString("finish_reason") != null) {
        finish = choice.getString("finish_reason");
      }
    }
    assertTrue(id.startsWith("chatcmpl-"), id);
    assertEquals("assistant", new JsonObject(payloads.get(0)).getJsonArray("choices").getJsonObject(0)
        .getJsonObject("delta").getString("role"));
    assertEquals("Checking both \u00e9\u2713.", content.toString());
    assertEquals(List.of(boston, madison), callIds);
    assertEquals("Boston, MA", new JsonObject(arguments.get(0).toString()).getString("location"));
    assertEquals("Madison, WI", new JsonObject(arguments.get(1).toString()).getString("location"));
    assertEquals("tool_calls", finish);
    assertEquals(120, usage.getInteger("prompt_tokens"));
    assertEquals(30, usage.getInteger("completion_tokens"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/chat/completions", "/openai/v1/chat/completions"})
  void should_answer_a_whole_chat_completion_on_both_paths(String path) throws Exception {
    anthropic.script(request -> Reply.text("Sunny in both \u00e9.").withUsage(50, 6));

    HttpResponse<String> response = post(path, chat("anthropic/claude-sonnet-4-5", false).put("max_tokens", 200));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    JsonObject completion = new JsonObject(response.body());
    assertEquals("chat.completion", completion.getString("object"));
    JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
    assertEquals("Sunny in both \u00e9.", choice.getJsonObject("message").getString("content"));
    assertEquals("stop", choice.getString("finish_reason"));
    assertEquals(50, completion.getJsonObject("usage").getInteger("prompt_tokens"));
    assertEquals(56, completion.getJsonObject("usage").getInteger("total_tokens"));
    assertEquals(200, anthropic.requests("/v1/messages").get(0).json().getInteger("max_tokens"));
  }

  @Test
  void should_send_tool_results_as_one_user_turn_after_the_assistants_calls() throws Exception {
    anthropic.script(request -> Reply.text("Boston is warmer."));
    JsonObject body = chat("anthropic/claude-sonnet-4-5", false).put("tools", weatherTool());
    body.getJsonArray("messages")
        .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
            .add(call("call_boston", "{\"location\":\"Boston, MA\"}"))
            .add(call("call_madison", "{\"location\":\"Madison, WI\"}"))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_boston").put("content", "22C"))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_madison").put("content", "18C"));

    HttpResponse<String> response = post("/v1/chat/completions", body);

    assertEquals(200, response.statusCode(), response.body());
    JsonArray messages = anthropic.requests("/v1/messages").get(0).json().getJsonArray("messages");
    assertEquals(3, messages.size(), messages.encode());
    JsonArray results = messages.getJsonObject(2).getJsonArray("content");
    assertEquals("user", messages.getJsonObject(2).getString("role"));
    assertEquals(List.of("call_boston", "call_madison"), List.of(results.getJsonObject(0).getString("tool_use_id"),
        results.getJsonObject(1).getString("tool_use_id")));
    assertTrue(anthropic.receivedToolResultFor("call_madison"));
  }

  private static JsonObject call(String id, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", "get_current_weather").put("arguments", arguments));
  }

  @Test
  void should_reach_an_openai_provider_through_the_same_surface() throws Exception {
    String callId = openai.nextToolCallId();
    openai.script(request -> Reply.toolCall(callId, "get_current_weather",
        new JsonObject().put("location", "Boston, MA")).withUsage(70, 9));

    HttpResponse<String> response = post("/v1/chat/completions",
        chat("openai/gpt-test", true).put("tools", weatherTool()));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("gpt-test", openai.requests("/v1/chat/completions").get(0).json().getString("model"));
    List<String> payloads = payloads(response.body());
    assertEquals("[DONE]", payloads.get(payloads.size() - 1));
    String joined = String.join("\n", payloads);
    assertTrue(joined.contains("\"id\":\"" + callId + "\""), joined);
    assertTrue(joined.contains("\"finish_reason\":\"tool_calls\""), joined);
    assertTrue(joined.contains("\"prompt_tokens\":70"), joined);
  }

  @Test
  void should_answer_an_upstream_rate_limit_with_openais_429() throws Exception {
    anthropic.script(request -> Reply.rateLimited(3));

    HttpResponse<String> response = post("/v1/chat/completions", chat("anthropic/claude-sonnet-4-5", false));

    assertEquals(429, response.statusCode(), response.body());
    assertEquals("rate_limit_exceeded", error(response).getString("code"));
    assertEquals("requests", error(response).getString("type"));
    assertEquals("Rate limit exceeded (fake upstream)", error(response).getString("message"));
    assertTrue(error(response).containsKey("param") && error(response).getValue("param") == null);
    assertEquals("3", response.headers().firstValue("retry-after").orElse(""), "the upstream's retry-after");
    assertEquals(response.headers().firstValue("x-turnpike-request-id").orElseThrow(),
        response.headers().firstValue("x-request-id").orElse(null));
  }

  @Test
  void should_keep_an_upstream_refusals_words_and_say_overloaded_as_503() throws Exception {
    anthropic.script(request -> Reply.error(400, "invalid_request_error", "messages.0: too long"));
    HttpResponse<String> refused = post("/v1/chat/completions", chat("anthropic/claude-sonnet-4-5", false));
    assertEquals(400, refused.statusCode(), refused.body());
    assertEquals("invalid_request_error", error(refused).getString("type"));
    assertEquals("messages.0: too long", error(refused).getString("message"));

    anthropic.script(request -> Reply.error(529, "overloaded_error", "Overloaded"));
    HttpResponse<String> overloaded = post("/v1/chat/completions", chat("anthropic/claude-sonnet-4-5", true));
    assertEquals(503, overloaded.statusCode(), overloaded.body());
    assertEquals("api_error", error(overloaded).getString("type"));
    assertEquals(503, records.of(overloaded.headers().firstValue("x-turnpike-request-id").orElseThrow()).status());
  }

  @Test
  void should_end_a_broken_stream_with_an_error_chunk_and_no_done() throws Exception {
    anthropic.faults(Faults.none().closeAfterEvents(5));
    anthropic.script(request -> Reply.text("a long answer that will not arrive whole"));

    HttpResponse<String> response = post("/v1/chat/completions", chat("anthropic/claude-sonnet-4-5", true));

    assertEquals(200, response.statusCode());
    List<String> payloads = payloads(response.body());
    assertEquals("assistant", new JsonObject(payloads.get(0)).getJsonArray("choices").getJsonObject(0)
        .getJsonObject("delta").getString("role"));
    JsonObject last = new JsonObject(payloads.get(payloads.size() - 1));
    assertNotNull(last.getJsonObject("error").getString("message"));
    assertFalse(payloads.contains("[DONE]"));
  }

  @Test
  void should_pass_an_upstream_error_event_on_as_an_error_chunk() throws Exception {
    anthropic.script(request -> Reply.message(new Reply.Text("partial"),
        new Reply.StreamError("overloaded_error", "Overloaded mid-stream")));

    HttpResponse<String> response = post("/v1/chat/completions", chat("anthropic/claude-sonnet-4-5", true));

    assertEquals(200, response.statusCode());
    List<String> payloads = payloads(response.body());
    JsonObject last = new JsonObject(payloads.get(payloads.size() - 1));
    assertEquals("Overloaded mid-stream", last.getJsonObject("error").getString("message"));
    assertFalse(payloads.contains("[DONE]"));
  }

  @Test
  void should_refuse_an_unknown_or_missing_virtual_key_with_openais_401() throws Exception {
    HttpResponse<String> wrong = gateway.post("/v1/chat/completions", chat("anthropic/claude-sonnet-4-5", false)
        .encode(), Map.of("authorization", "Bearer tp-vk-nobody"));
    HttpResponse<String> none = gateway.post("/v1/chat/completions", chat("anthropic/claude-sonnet-4-5", false)
        .encode(), Map.of());

    for (HttpResponse<String> response : List.of(wrong, none)) {
      assertEquals(401, response.statusCode(), response.body());
      assertEquals("invalid_api_key", error(response).getString("code"));
      assertEquals("invalid_request_error", error(response).getString("type"));
    }
    assertFalse(wrong.body().contains("tp-vk-nobody"), "the key is not echoed");
    assertTrue(anthropic.requests().isEmpty());
  }

  @Test
  void should_refuse_a_spent_budget_as_insufficient_quota_that_must_not_be_retried() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/chat/completions",
        chat("anthropic/claude-sonnet-4-5", false).encode(), Map.of("authorization", "Bearer tp-vk-broke"));

    assertEquals(429, response.statusCode(), response.body());
    assertEquals("insufficient_quota", error(response).getString("code"));
    assertEquals("false", response.headers().firstValue("x-should-retry").orElse(""));
    assertTrue(anthropic.requests().isEmpty());
  }

  @Test
  void should_refuse_what_it_cannot_answer_naming_the_parameter_before_any_upstream_call() throws Exception {
    HttpResponse<String> response = post("/v1/chat/completions", chat("anthropic/claude-sonnet-4-5", false)
        .put("n", 3));

    assertEquals(400, response.statusCode(), response.body());
    assertEquals("invalid_request_error", error(response).getString("type"));
    assertEquals("n", error(response).getString("param"));
    assertEquals("unsupported_value", error(response).getString("code"));
    assertTrue(anthropic.requests().isEmpty());
    ExchangeRecord record = records.of(response.headers().firstValue("x-turnpike-request-id").orElseThrow());
    assertEquals(400, record.status());

    HttpResponse<String> unknownModel = post("/v1/chat/completions", chat("nosuch/x", false));
    assertEquals(404, unknownModel.statusCode(), unknownModel.body());
    assertEquals("model_not_found", error(unknownModel).getString("code"));

    HttpResponse<String> noSuchEndpoint = post("/v1/embeddings", new JsonObject().put("input", "x"));
    assertEquals(404, noSuchEndpoint.statusCode());
    assertEquals("invalid_request_error", error(noSuchEndpoint).getString("type"));
  }

  @Test
  void should_record_and_count_the_request_as_the_anthropic_surface_does() throws Exception {
    anthropic.script(request -> Reply.text("counted").withUsage(400, 20));

    HttpResponse<String> response = post("/v1/chat/completions", chat("anthropic/claude-sonnet-4-5", true));

    assertEquals(200, response.statusCode(), response.body());
    ExchangeRecord record = records.of(response.headers().firstValue("x-turnpike-request-id").orElseThrow());
    assertEquals(Operation.MESSAGES, record.operation());
    assertEquals("anthropic/claude-sonnet-4-5", record.requestedModel());
    assertTrue(record.stream());
    assertEquals("vk-alice", record.admission().virtualKey());
    assertEquals("anthropic/claude-sonnet-4-5", record.served().qualifiedModel());
    assertEquals(400, record.usage().inputTokens());
    assertEquals(20, record.usage().outputTokens());
    assertEquals(200, record.status());
    assertTrue(record.dataEvents() > 0);
  }

  @Test
  void should_still_list_the_models() throws Exception {
    HttpResponse<String> models = gateway.get("/v1/models");
    assertEquals(200, models.statusCode());
    assertEquals("anthropic/claude-sonnet-4-5", new JsonObject(models.body()).getJsonArray("data").getJsonObject(0)
        .getString("id"));
  }
}
