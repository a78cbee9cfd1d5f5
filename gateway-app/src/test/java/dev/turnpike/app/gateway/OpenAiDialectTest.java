package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeOpenAiUpstream;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Dialect {@code openai} over real HTTP: a Claude Code request in, Chat Completions out, Anthropic back. */
class OpenAiDialectTest {
  private static final String UPSTREAM_KEY = "sk-openai-upstream-configured";
  private static Vertx fakes;
  private static FakeOpenAiUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    upstream = new FakeOpenAiUpstream(fakes).requireKey(UPSTREAM_KEY).start().await();
    gateway = GatewayHarness.start(new JsonObject().put("providers", new JsonObject()
        .put("openai", GatewayHarness.provider("openai", upstream.baseUrl(), UPSTREAM_KEY))));
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

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 13})
  void should_translate_a_streamed_tool_call_when_upstream_splits_bytes_anywhere(int splitEvery) throws Exception {
    upstream.faults(Faults.none().splitEvery(splitEvery));

    HttpResponse<String> response = gateway.messages(claudeCodeRequest("openai/gpt-test"));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest sent = upstream.requests("/v1/chat/completions").get(0);
    JsonObject chat = sent.json();
    assertEquals("gpt-test", chat.getString("model"));
    assertEquals("Bearer " + UPSTREAM_KEY, sent.header("authorization"));
    assertFalse(sent.contains(GatewayHarness.CLIENT_KEY), "client key leaked upstream");
    assertTrue(chat.getJsonObject("stream_options").getBoolean("include_usage"));

    List<Sse> events = Sse.parse(response.body());
    List<String> names = Sse.names(events);
    assertEquals("message_start", names.get(0));
    assertEquals(List.of("message_delta", "message_stop"), names.subList(names.size() - 2, names.size()));
    Sse start = events.stream().filter(e -> e.event().equals("content_block_start")
        && "tool_use".equals(e.data().getJsonObject("content_block").getString("type"))).findFirst().orElseThrow();
    String toolId = start.data().getJsonObject("content_block").getString("id");
    List<String> issued = upstream.issuedToolCallIds();
    assertEquals(issued.get(issued.size() - 1), toolId);
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
  void should_translate_a_whole_answer_when_not_streaming() throws Exception {
    upstream.script(request -> Reply.text("plain answer \u00e9").withUsage(120, 7));
    String body = new JsonObject().put("model", "openai/gpt-test").put("max_tokens", 64)
        .put("system", "be brief")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode(), response.body());
    JsonObject message = new JsonObject(response.body());
    assertEquals("message", message.getString("type"));
    assertEquals("plain answer \u00e9", message.getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals("end_turn", message.getString("stop_reason"));
    assertEquals(120, message.getJsonObject("usage").getInteger("input_tokens"));
    assertEquals(7, message.getJsonObject("usage").getInteger("output_tokens"));
    JsonArray sentMessages = upstream.requests().get(0).json().getJsonArray("messages");
    assertEquals("system", sentMessages.getJsonObject(0).getString("role"));
  }

  @Test
  void should_answer_count_tokens_locally_for_a_dialect_without_counting() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens",
        claudeCodeRequest("openai/gpt-test"), Map.of("x-api-key", GatewayHarness.CLIENT_KEY));

    assertEquals(200, response.statusCode());
    assertTrue(new JsonObject(response.body()).getInteger("input_tokens") > 1000, "a 84 KB request");
    assertTrue(upstream.requests().isEmpty());
  }

  @Test
  void should_map_an_upstream_rate_limit_to_anthropic_rate_limit_error() throws Exception {
    upstream.script(request -> Reply.rateLimited(3));

    HttpResponse<String> response = gateway.messages(claudeCodeRequest("openai/gpt-test"));

    assertEquals(429, response.statusCode());
    assertEquals("rate_limit_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
    assertEquals("3", response.headers().firstValue("retry-after").orElse(""), "the upstream's retry-after");
  }

  @Test
  void should_end_the_stream_with_an_error_event_when_upstream_breaks_mid_stream() throws Exception {
    upstream.faults(Faults.none().closeAfterEvents(4));

    HttpResponse<String> response = gateway.messages(claudeCodeRequest("openai/gpt-test"));

    assertEquals(200, response.statusCode());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("message_start", events.get(0).event());
    Sse last = events.get(events.size() - 1);
    assertEquals("error", last.event());
    assertNotNull(last.data().getJsonObject("error").getString("message"));
  }

  @Test
  void should_count_usage_per_client_key_and_model() throws Exception {
    upstream.script(request -> Reply.text("counted").withUsage(1000, 50));
    JsonObject before = new JsonObject(gateway.get("/api/admin/usage").body());
    String body = new JsonObject().put("model", "openai/gpt-count").put("max_tokens", 64).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    gateway.messages(body);
    gateway.messages(body);

    JsonObject model = new JsonObject(gateway.get("/api/admin/usage").body()).getJsonObject("by_model")
        .getJsonObject("openai/gpt-count");
    assertEquals(2, model.getLong("requests"));
    assertEquals(2000, model.getLong("input_tokens"));
    assertEquals(100, model.getLong("output_tokens"));
    assertFalse(before.getJsonObject("by_model").containsKey("openai/gpt-count"));
    JsonObject subjects = new JsonObject(gateway.get("/api/admin/usage").body()).getJsonObject("by_subject");
    assertEquals(1, subjects.size(), "one client key, counted by fingerprint");
    String subject = subjects.fieldNames().iterator().next();
    assertTrue(subject.startsWith("key:") && !subject.contains(GatewayHarness.CLIENT_KEY));
  }
}
