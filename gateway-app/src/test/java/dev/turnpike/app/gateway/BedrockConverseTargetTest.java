package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.FakeBedrockUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.Reply;
import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import dev.turnpike.provider.auth.AwsCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
 * Dialect {@code bedrock} with models that are not Anthropic's: an Anthropic request is translated to Converse,
 * signed, sent to a fake Bedrock that refuses what Bedrock's Converse refuses ({@code ConverseRules}), and its
 * Converse answer or ConverseStream event stream comes back as Anthropic's.
 */
class BedrockConverseTargetTest {
  /** The example credentials of AWS's documentation, never real ones. */
  private static final AwsCredentials CREDENTIALS = new AwsCredentials("AKIDEXAMPLE",
      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-example");
  private static final String LLAMA = "us.meta.llama4-maverick-17b-instruct-v1:0";
  private static final String NOVA = "us.amazon.nova-pro-v1:0";
  private static final String CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  private static final String LONG_TOOL = "mcp__filesystem__read_text_file_with_a_really_long_name_beyond_the_limit";
  private static Vertx fakes;
  private static FakeBedrockUpstream bedrock;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    bedrock = new FakeBedrockUpstream(fakes, CREDENTIALS).start().await();
    JsonObject aws = new JsonObject().put("access_key_id", CREDENTIALS.accessKeyId())
        .put("secret_access_key", CREDENTIALS.secretAccessKey()).put("session_token", CREDENTIALS.sessionToken());
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject()
            .put("bedrock", new JsonObject().put("dialect", "bedrock").put("base_url", bedrock.baseUrl())
                .put("region", FakeBedrockUpstream.REGION).put("aws", aws))
            .put("bedrock-converse", new JsonObject().put("dialect", "bedrock").put("base_url", bedrock.baseUrl())
                .put("region", FakeBedrockUpstream.REGION).put("aws", aws)
                .put("converse_models", new JsonArray().add(CLAUDE)))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    bedrock.reset().rawStream(null).refuseConverseCounting(false);
  }

  private static String claudeCodeBody(String file, String model) throws Exception {
    return ClaudeCodeCaptures.body(file, model);
  }

  private static String simpleBody(String model, boolean stream) {
    return new JsonObject().put("model", model).put("max_tokens", 100).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 13})
  void should_stream_a_claude_code_tool_call_from_llama_however_bedrock_splits_its_bytes(int splitEvery)
      throws Exception {
    bedrock.faults(Faults.none().splitEvery(splitEvery));

    HttpResponse<String> response = gateway.messages(claudeCodeBody("cc2.1.197-messages-tool-first.request.json",
        "bedrock/" + LLAMA));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest sent = bedrock.requests().get(0);
    assertEquals("/model/us.meta.llama4-maverick-17b-instruct-v1%3A0/converse-stream", sent.path());
    assertTrue(sent.header("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    assertEquals("application/vnd.amazon.eventstream", sent.header("accept"));
    assertFalse(sent.contains(GatewayHarness.CLIENT_KEY), "client key leaked upstream");
    List<Sse> events = Sse.parse(response.body());
    List<String> names = Sse.names(events);
    assertEquals("message_start", names.get(0));
    assertEquals(List.of("message_delta", "message_stop"), names.subList(names.size() - 2, names.size()));
    Sse start = events.stream().filter(e -> e.event().equals("content_block_start")
        && "tool_use".equals(e.data().getJsonObject("content_block").getString("type"))).findFirst().orElseThrow();
    List<String> issued = bedrock.issuedToolCallIds();
    assertEquals(issued.get(issued.size() - 1), start.data().getJsonObject("content_block").getString("id"));
    assertEquals("Bash", start.data().getJsonObject("content_block").getString("name"));
    assertTrue(new JsonObject(toolInput(events, start.data().getInteger("index"))).getString("command")
        .startsWith("echo turnpike > "));
    JsonObject delta = events.get(events.size() - 2).data();
    assertEquals("tool_use", delta.getJsonObject("delta").getString("stop_reason"));
    assertTrue(delta.getJsonObject("usage").getInteger("output_tokens") > 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {LLAMA, NOVA})
  void should_send_a_claude_code_conversation_with_its_tool_result_that_bedrock_accepts(String model)
      throws Exception {
    HttpResponse<String> response = gateway.messages(claudeCodeBody("cc2.1.332-anthropic_req_with_tool_result.json",
        "bedrock/" + model));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(Sse.text(Sse.parse(response.body())).contains(bedrock.marker()), response.body());
    JsonObject sent = bedrock.requests().get(0).json();
    assertFalse(sent.containsKey("additionalModelRequestFields"), "Claude's thinking settings stay behind");
    boolean nova = model.equals(NOVA);
    assertEquals(nova, sent.encode().contains("cachePoint"), "only Nova caches: cache_control became cache points");
    JsonArray messages = sent.getJsonArray("messages");
    JsonObject result = messages.getJsonObject(messages.size() - 1).getJsonArray("content").getJsonObject(0)
        .getJsonObject("toolResult");
    assertEquals("toolu_014df606998de74e089975db", result.getString("toolUseId"));
    assertEquals(nova ? "success" : null, result.getString("status"), "only Nova takes a status");
  }

  @Test
  void should_answer_a_whole_message_through_converse() throws Exception {
    bedrock.script(request -> Reply.text("plain answer \u00e9").withUsage(120, 7));

    HttpResponse<String> response = gateway.messages(simpleBody("bedrock/" + LLAMA, false));

    assertEquals(200, response.statusCode(), response.body());
    JsonObject message = new JsonObject(response.body());
    assertEquals("message", message.getString("type"));
    assertEquals("bedrock/" + LLAMA, message.getString("model"), "the client's model name");
    assertEquals("plain answer \u00e9", message.getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals("end_turn", message.getString("stop_reason"));
    assertEquals(120, message.getJsonObject("usage").getInteger("input_tokens"));
    assertEquals(7, message.getJsonObject("usage").getInteger("output_tokens"));
    assertTrue(bedrock.requests().get(0).path().endsWith("/converse"));
  }

  @Test
  void should_map_a_long_tool_name_there_and_back_and_keep_parallel_calls_apart() throws Exception {
    bedrock.script(request -> {
      String sentName = request.getJsonObject("toolConfig").getJsonArray("tools").getJsonObject(0)
          .getJsonObject("toolSpec").getString("name");
      return Reply.message(new Reply.ToolCall("tooluse_first", sentName, new JsonObject().put("path", "/a")),
          new Reply.ToolCall("tooluse_second", sentName, new JsonObject().put("path", "/b")));
    });
    JsonObject tool = new JsonObject().put("name", LONG_TOOL).put("description", "Reads a file")
        .put("input_schema", new JsonObject().put("type", "object")
            .put("properties", new JsonObject().put("path", new JsonObject().put("type", "string"))));
    String body = new JsonObject(simpleBody("bedrock/" + LLAMA, true)).put("tools", new JsonArray().add(tool))
        .encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode(), response.body());
    String sentName = bedrock.requests().get(0).json().getJsonObject("toolConfig").getJsonArray("tools")
        .getJsonObject(0).getJsonObject("toolSpec").getString("name");
    assertTrue(sentName.matches("[a-zA-Z0-9_-]{1,64}") && !sentName.equals(LONG_TOOL), sentName);
    List<Sse> events = Sse.parse(response.body());
    List<Sse> starts = events.stream().filter(e -> e.event().equals("content_block_start")).toList();
    assertEquals(2, starts.size());
    for (int i = 0; i < 2; i++) {
      JsonObject block = starts.get(i).data().getJsonObject("content_block");
      assertEquals(LONG_TOOL, block.getString("name"), "the client's own name");
      assertEquals(i == 0 ? "tooluse_first" : "tooluse_second", block.getString("id"));
      assertEquals(i == 0 ? "/a" : "/b", new JsonObject(toolInput(events, starts.get(i).data().getInteger("index")))
          .getString("path"));
    }
  }

  @Test
  void should_call_converse_for_an_anthropic_model_the_provider_lists_and_send_claudes_fields() throws Exception {
    HttpResponse<String> response = gateway.messages(claudeCodeBody("cc2.1.332-anthropic_req_with_tool_result.json",
        "bedrock-converse/" + CLAUDE));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest sent = bedrock.requests().get(0);
    assertTrue(sent.path().endsWith("/converse-stream"), sent.path());
    JsonObject body = sent.json();
    assertEquals("adaptive", body.getJsonObject("additionalModelRequestFields").getJsonObject("thinking")
        .getString("type"));
    assertEquals(new JsonArray().add("claude-code-20250219").add("interleaved-thinking-2025-05-14"),
        body.getJsonObject("additionalModelRequestFields").getJsonArray("anthropic_beta"));
    assertTrue(body.encode().contains("\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds\""),
        "the signed thinking goes back to Claude");
  }

  @Test
  void should_keep_invoke_model_for_an_anthropic_model_that_is_not_listed() throws Exception {
    HttpResponse<String> response = gateway.messages(simpleBody("bedrock/" + CLAUDE, true));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(bedrock.requests().get(0).path().endsWith("/invoke-with-response-stream"));
  }

  @Test
  void should_pass_throttling_on_as_a_rate_limit_with_its_retry_after() throws Exception {
    bedrock.script(request -> Reply.rateLimited(7));

    HttpResponse<String> response = gateway.messages(simpleBody("bedrock/" + LLAMA, true));

    assertEquals(429, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("rate_limit_error", error.getString("type"));
    assertTrue(error.getString("message").contains("ThrottlingException"), error.getString("message"));
    assertEquals("7", response.headers().firstValue("retry-after").orElse(""));
  }

  @Test
  void should_name_bedrocks_validation_exception_in_a_400() throws Exception {
    bedrock.script(request -> Reply.error(400, null,
        "Input is too long for requested model. Key AKIAIOSFODNN7EXAMPLE"));

    HttpResponse<String> response = gateway.messages(simpleBody("bedrock/" + LLAMA, false));

    assertEquals(400, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertTrue(error.getString("message").contains("ValidationException"), error.getString("message"));
    assertTrue(error.getString("message").contains("Input is too long"), error.getString("message"));
    assertFalse(response.body().contains("AKIAIOSFODNN7EXAMPLE"), "key-shaped text is masked");
  }

  @Test
  void should_end_with_an_error_event_when_bedrock_reports_an_exception_mid_stream() throws Exception {
    bedrock.script(request -> Reply.message(new Reply.Text("partial answer"),
        new Reply.StreamError("overloaded_error", "Bedrock is busy")));

    HttpResponse<String> response = gateway.messages(simpleBody("bedrock/" + LLAMA, true));

    assertEquals(200, response.statusCode(), response.body());
    List<Sse> events = Sse.parse(response.body());
    Sse last = events.get(events.size() - 1);
    assertEquals("error", last.event(), response.body());
    assertEquals("overloaded_error", last.data().getJsonObject("error").getString("type"));
    assertTrue(last.data().getJsonObject("error").getString("message").contains("Bedrock is busy"));
    assertTrue(Sse.text(events).contains("partial answer"));
  }

  @Test
  void should_fail_before_any_byte_when_the_stream_opens_with_an_exception() throws Exception {
    bedrock.rawStream(BedrockStreamEvents.exception("throttlingException", "Too many tokens, slow down"));

    HttpResponse<String> response = gateway.messages(simpleBody("bedrock/" + LLAMA, true));

    assertEquals(429, response.statusCode(), response.body());
    assertEquals("rate_limit_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
  }

  @Test
  void should_refuse_a_corrupt_event_stream_before_any_bytes_reach_the_client() throws Exception {
    Buffer frame = BedrockStreamEvents.exception("x", "y");
    frame.setByte(frame.length() - 1, (byte) (frame.getByte(frame.length() - 1) ^ 0x01));
    bedrock.rawStream(frame);

    HttpResponse<String> response = gateway.messages(simpleBody("bedrock/" + LLAMA, true));

    assertEquals(502, response.statusCode(), response.body());
    assertTrue(new JsonObject(response.body()).getJsonObject("error").getString("message")
        .contains("broken event stream"), response.body());
  }

  @Test
  void should_end_the_stream_with_an_error_event_when_bedrock_cuts_it_short() throws Exception {
    bedrock.faults(Faults.none().closeAfterEvents(3));

    HttpResponse<String> response = gateway.messages(simpleBody("bedrock/" + LLAMA, true));

    assertEquals(200, response.statusCode());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("message_start", events.get(0).event());
    Sse last = events.get(events.size() - 1);
    assertEquals("error", last.event(), response.body());
    assertNotNull(last.data().getJsonObject("error").getString("message"));
  }

  @Test
  void should_count_tokens_with_count_tokens_and_a_converse_input() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens?beta=true",
        claudeCodeBody("cc2.1.332-anthropic_req_with_tool_result.json", "bedrock/" + LLAMA),
        Map.of("x-api-key", GatewayHarness.CLIENT_KEY, "content-type", "application/json"));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest received = bedrock.requests().get(0);
    assertTrue(received.path().endsWith("/count-tokens"), received.path());
    assertTrue(received.json().getJsonObject("input").containsKey("converse"));
    assertEquals(Math.max(1, received.body().length() / 4), new JsonObject(response.body()).getInteger("input_tokens"),
        "Bedrock's count, renamed");
  }

  @Test
  void should_estimate_tokens_locally_when_count_tokens_cannot_count_the_model() throws Exception {
    bedrock.refuseConverseCounting(true);

    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens?beta=true",
        claudeCodeBody("cc2.1.332-anthropic_req_with_tool_result.json", "bedrock/" + LLAMA),
        Map.of("x-api-key", GatewayHarness.CLIENT_KEY, "content-type", "application/json"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(1, bedrock.requests().size(), "Bedrock was asked first");
    assertTrue(new JsonObject(response.body()).getInteger("input_tokens") > 1000, "an estimate of a large request");
  }

  @Test
  void should_refuse_an_image_bedrock_cannot_take_without_calling_it() throws Exception {
    JsonObject image = new JsonObject().put("type", "image").put("source",
        new JsonObject().put("type", "url").put("url", "https://example.com/cat.png"));
    String body = new JsonObject().put("model", "bedrock/" + NOVA).put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", new JsonArray().add(image)))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.body().contains("images as bytes"), response.body());
    assertTrue(bedrock.requests().isEmpty());
  }

  private static String toolInput(List<Sse> events, int index) {
    StringBuilder json = new StringBuilder();
    events.stream().filter(e -> e.event().equals("content_block_delta") && e.data().getInteger("index") == index)
        .forEach(e -> json.append(e.data().getJsonObject("delta").getString("partial_json")));
    return json.toString();
  }
}
