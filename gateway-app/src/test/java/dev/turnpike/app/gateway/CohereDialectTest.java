package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeCohereUpstream;
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
 * Dialect {@code cohere} over real HTTP: Claude Code requests in, Cohere v2 chat out to a fake that refuses what
 * Cohere refuses, Anthropic back.
 */
class CohereDialectTest {
  private static final String UPSTREAM_KEY = "co-upstream-configured-key";
  private static Vertx fakes;
  private static FakeCohereUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    upstream = new FakeCohereUpstream(fakes).requireKey(UPSTREAM_KEY).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject()
            .put("cohere", GatewayHarness.provider("cohere", upstream.baseUrl(), UPSTREAM_KEY))
            .put("cohere-wrong-key", GatewayHarness.provider("cohere", upstream.baseUrl(), "co-revoked-key"))));
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

  /** Claude Code's first turn, offering its tools, for the Cohere model. */
  private static String toolFirst() throws Exception {
    return ClaudeCodeCaptures.body("cc2.1.197-messages-tool-first.request.json", "cohere/command-a-03-2025");
  }

  private static String simple(String model, boolean stream, JsonArray tools) {
    JsonObject body = new JsonObject().put("model", model).put("max_tokens", 64).put("stream", stream)
        .put("system", "be brief")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    return (tools == null ? body : body.put("tools", tools)).encode();
  }

  private static List<RecordedRequest> chats() {
    return upstream.requests(FakeCohereUpstream.CHAT_PATH);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 13})
  void should_translate_a_streamed_tool_call_when_upstream_splits_bytes_anywhere(int splitEvery) throws Exception {
    upstream.faults(Faults.none().splitEvery(splitEvery));

    HttpResponse<String> response = gateway.messages(toolFirst());

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest sent = chats().get(0);
    assertEquals("command-a-03-2025", sent.json().getString("model"));
    assertTrue(sent.json().getBoolean("stream"));
    assertEquals("Bearer " + UPSTREAM_KEY, sent.header("authorization"));
    assertFalse(sent.contains(GatewayHarness.CLIENT_KEY), "client key leaked upstream");

    List<Sse> events = Sse.parse(response.body());
    List<String> names = Sse.names(events);
    assertEquals("message_start", names.get(0));
    assertEquals(List.of("message_delta", "message_stop"), names.subList(names.size() - 2, names.size()));
    Sse start = events.stream().filter(e -> e.event().equals("content_block_start")
        && "tool_use".equals(e.data().getJsonObject("content_block").getString("type"))).findFirst().orElseThrow();
    assertEquals(upstream.issuedToolCallIds().get(upstream.issuedToolCallIds().size() - 1),
        start.data().getJsonObject("content_block").getString("id"));
    assertEquals("Bash", start.data().getJsonObject("content_block").getString("name"));
    int index = start.data().getInteger("index");
    StringBuilder json = new StringBuilder();
    events.stream().filter(e -> e.event().equals("content_block_delta") && e.data().getInteger("index") == index)
        .forEach(e -> json.append(e.data().getJsonObject("delta").getString("partial_json")));
    assertTrue(new JsonObject(json.toString()).getString("command").startsWith("echo turnpike > "));
    JsonObject delta = events.get(events.size() - 2).data();
    assertEquals("tool_use", delta.getJsonObject("delta").getString("stop_reason"));
    assertTrue(delta.getJsonObject("usage").getInteger("input_tokens") > 1000, "Cohere's model token count");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cc2.1.197-messages-tool-result.request.json", "cc2.1.332-anthropic_req_with_tool_result.json"})
  void should_send_a_conversation_with_tool_results_that_cohere_accepts(String file) throws Exception {
    HttpResponse<String> response = gateway.messages(ClaudeCodeCaptures.body(file, "cohere/command-a-03-2025"));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(Sse.text(Sse.parse(response.body())).contains(upstream.marker()), "the script saw the tool result");
    JsonArray messages = chats().get(0).json().getJsonArray("messages");
    assertTrue(messages.stream().anyMatch(m -> "tool".equals(((JsonObject) m).getString("role"))),
        "tool results travel as tool messages (the fake checked each answers its call)");
  }

  @Test
  void should_translate_a_whole_answer_when_not_streaming() throws Exception {
    upstream.script(request -> Reply.text("plain answer \u00e9").withUsage(120, 7));

    HttpResponse<String> response = gateway.messages(simple("cohere/command-r7b-12-2024", false, null));

    assertEquals(200, response.statusCode(), response.body());
    JsonObject message = new JsonObject(response.body());
    assertEquals("message", message.getString("type"));
    assertEquals("plain answer \u00e9", message.getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals("end_turn", message.getString("stop_reason"));
    assertEquals(120, message.getJsonObject("usage").getInteger("input_tokens"));
    assertEquals(7, message.getJsonObject("usage").getInteger("output_tokens"));
    JsonObject sent = chats().get(0).json();
    assertEquals(new JsonObject().put("role", "system").put("content", "be brief"),
        sent.getJsonArray("messages").getJsonObject(0));
    assertFalse(sent.getBoolean("stream"));
  }

  @Test
  void should_stream_a_tool_plan_and_parallel_calls_as_text_then_tool_use_blocks() throws Exception {
    JsonArray tools = new JsonArray()
        .add(new JsonObject().put("name", "mcp__my-server__look.up").put("input_schema",
            new JsonObject().put("type", "object")))
        .add(new JsonObject().put("name", "Bash").put("input_schema", new JsonObject().put("type", "object")));
    upstream.script(request -> {
      JsonArray offered = request.getJsonArray("tools");
      String mapped = offered.getJsonObject(0).getJsonObject("function").getString("name");
      return Reply.message(new Reply.Text("I will look it up \u2014 twice."),
          new Reply.ToolCall("lookup_1", mapped, new JsonObject().put("q", "caf\u00e9")),
          new Reply.ToolCall("Bash_2", "Bash", new JsonObject().put("command", "ls")));
    });
    upstream.faults(Faults.none().splitEvery(5));

    HttpResponse<String> response = gateway.messages(simple("cohere/command-a-03-2025", true, tools));

    assertEquals(200, response.statusCode(), response.body());
    String sentName = chats().get(0).json().getJsonArray("tools").getJsonObject(0).getJsonObject("function")
        .getString("name");
    assertTrue(sentName.startsWith("mcp__my_server__look_up_"), sentName);
    List<Sse> blocks = Sse.parse(response.body()).stream().filter(e -> e.event().equals("content_block_start"))
        .toList();
    assertEquals(List.of("text", "tool_use", "tool_use"), blocks.stream()
        .map(e -> e.data().getJsonObject("content_block").getString("type")).toList());
    assertEquals("mcp__my-server__look.up", blocks.get(1).data().getJsonObject("content_block").getString("name"));
    assertEquals("Bash_2", blocks.get(2).data().getJsonObject("content_block").getString("id"));
    assertEquals("I will look it up \u2014 twice.", Sse.text(Sse.parse(response.body())));
  }

  @Test
  void should_send_images_as_image_url_parts() throws Exception {
    upstream.script(request -> Reply.text("a red pixel"));
    String body = new JsonObject().put("model", "cohere/command-a-vision-07-2025").put("max_tokens", 64)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "base64")
                .put("media_type", "image/png").put("data", "iVBORw0KGgo=")))
            .add(new JsonObject().put("type", "text").put("text", "What is this?"))))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode(), response.body());
    JsonObject part = chats().get(0).json().getJsonArray("messages").getJsonObject(0).getJsonArray("content")
        .getJsonObject(0);
    assertEquals("data:image/png;base64,iVBORw0KGgo=", part.getJsonObject("image_url").getString("url"));
  }

  @Test
  void should_answer_count_tokens_locally() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens",
        toolFirst(),
        Map.of("x-api-key", GatewayHarness.CLIENT_KEY));

    assertEquals(200, response.statusCode());
    assertTrue(new JsonObject(response.body()).getInteger("input_tokens") > 1000, "a 84 KB request");
    assertTrue(upstream.requests().isEmpty());
  }

  @Test
  void should_map_an_upstream_rate_limit_to_anthropic_rate_limit_error() throws Exception {
    upstream.script(request -> Reply.rateLimited(3));

    HttpResponse<String> response = gateway.messages(simple("cohere/command-a-03-2025", true, null));

    assertEquals(429, response.statusCode());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("rate_limit_error", error.getString("type"));
    assertTrue(error.getString("message").contains("Rate limit exceeded (fake upstream)"), error.getString("message"));
    assertEquals("3", response.headers().firstValue("retry-after").orElse(""), "the upstream's retry-after");
  }

  @Test
  void should_pass_a_refusal_on_as_invalid_request_and_a_refused_key_as_a_gateway_error() throws Exception {
    upstream.script(request -> Reply.error(400, null, "invalid request: message must be at least 1 token long"));
    HttpResponse<String> refused = gateway.messages(simple("cohere/command-a-03-2025", false, null));
    upstream.claudeCodeScript();
    HttpResponse<String> badKey = gateway.messages(simple("cohere-wrong-key/command-a-03-2025", false, null));

    assertEquals(400, refused.statusCode());
    JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertTrue(error.getString("message").contains("message must be at least 1 token long"));
    assertEquals(502, badKey.statusCode(), badKey.body());
    assertTrue(badKey.body().contains("invalid api token"), badKey.body());
    assertFalse(badKey.body().contains("co-revoked-key"), "no key in the error");
  }

  @Test
  void should_end_the_stream_with_an_error_event_when_upstream_breaks_mid_stream() throws Exception {
    upstream.faults(Faults.none().closeAfterEvents(4));

    HttpResponse<String> response = gateway.messages(toolFirst());

    assertEquals(200, response.statusCode());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("message_start", events.get(0).event());
    assertEquals("error", events.get(events.size() - 1).event());
    assertFalse(Sse.names(events).contains("message_stop"));
  }

  @Test
  void should_end_the_stream_with_an_error_event_when_cohere_reports_an_error_in_message_end() throws Exception {
    upstream.script(request -> Reply.message(new Reply.Text("Partial answer"),
        new Reply.StreamError("api_error", "generation failed on the model server")));

    HttpResponse<String> response = gateway.messages(simple("cohere/command-a-03-2025", true, null));

    assertEquals(200, response.statusCode());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("Partial answer", Sse.text(events));
    Sse last = events.get(events.size() - 1);
    assertEquals("error", last.event());
    assertTrue(last.data().getJsonObject("error").getString("message")
        .contains("generation failed on the model server"), last.data().encode());
    assertFalse(Sse.names(events).contains("message_delta"), "no stop reason claims a complete answer");
  }

  @Test
  void should_fail_cleanly_when_a_whole_answer_is_cut_short() throws Exception {
    upstream.faults(Faults.none().closeAfterBytes(200));

    HttpResponse<String> response = gateway.messages(simple("cohere/command-a-03-2025", false, null));

    assertEquals(502, response.statusCode(), response.body());
    assertEquals("api_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
  }
}
