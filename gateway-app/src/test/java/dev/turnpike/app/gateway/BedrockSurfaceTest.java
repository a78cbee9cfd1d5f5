package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeOpenAiUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.Reply;
import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import dev.turnpike.contract.eventstream.EventStreamDecoder;
import dev.turnpike.contract.eventstream.EventStreamMessage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Bedrock surface over real HTTP, as Claude Code calls it in Bedrock mode with the gateway holding the cloud
 * credentials: its bodies (the captures) reach the fake Anthropic upstream as ordinary Messages calls, and the fake
 * OpenAI upstream translated; answers come back in Bedrock's form.
 */
class BedrockSurfaceTest {
  private static final String ANTHROPIC_KEY = "sk-ant-upstream-configured";
  private static final String OPENAI_KEY = "sk-openai-upstream-configured";
  private static final String SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  private static final String VIA_OPENAI = "global.anthropic.claude-haiku-4-5-20251001-v1:0";
  /** What an AWS SDK adds to a call it signs; none of it may reach an upstream. */
  private static final Map<String, String> AWS_HEADERS = Map.of(
      "authorization", "AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE/20261126/us-east-1/bedrock/aws4_request, "
          + "SignedHeaders=host;x-amz-date, Signature=3c87e76b1c84324194e8cf17277219b8c16211af399cfee960fb0a125bd523b9",
      "x-amz-date", "20261126T121901Z",
      "x-amz-security-token", "FwoGZXIvYXdzSESSIONTOKENFAKE",
      "x-amz-content-sha256", "539ccb9e6a363cb842c8840f4d88a4404644c59c200d37e4a6d9797f76edc601",
      "amz-sdk-invocation-id", "2cc03a25-2962-41e0-9f82-2c7d4ae305f5",
      "amz-sdk-request", "attempt=1; max=3",
      "anthropic-version", "2023-06-01",
      "anthropic-beta", "claude-code-20250219",
      "content-type", "application/json");
  private static Vertx fakes;
  private static FakeAnthropicUpstream anthropic;
  private static FakeOpenAiUpstream openai;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    anthropic = new FakeAnthropicUpstream(fakes).requireKey(ANTHROPIC_KEY).start().await();
    openai = new FakeOpenAiUpstream(fakes).requireKey(OPENAI_KEY).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", anthropic.baseUrl(), ANTHROPIC_KEY))
            .put("openai", GatewayHarness.provider("openai", openai.baseUrl(), OPENAI_KEY)))
        .put("aliases", new JsonObject().put(SONNET, "anthropic/claude-sonnet-4-5").put(VIA_OPENAI, "openai/gpt-test")
            .put("fast", "openai/gpt-test"))
        .put("bedrock", new JsonObject().put("region", "eu-west-1")));
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
    anthropic.faults(Faults.none()).claudeCodeScript().countTokensScript(null);
    openai.faults(Faults.none()).claudeCodeScript();
  }

  @Test
  void should_stream_a_claude_code_call_as_event_stream_chunks_from_an_anthropic_upstream() throws Exception {
    JsonObject capture = ClaudeCodeCaptures.file("cc2.1.332-bedrock_req_with_tool_result.json");
    anthropic.faults(Faults.none().splitEvery(7));

    HttpResponse<byte[]> response = post("/bedrock/model/" + SONNET.replace(":", "%3A")
        + "/invoke-with-response-stream", capture.getJsonObject("body").encode(), AWS_HEADERS);

    assertEquals(200, response.statusCode(), () -> text(response));
    assertEquals("application/vnd.amazon.eventstream", header(response, "content-type"));
    assertEquals(header(response, "x-turnpike-request-id"), header(response, "x-amzn-requestid"));
    List<JsonObject> events = chunks(response.body());
    assertEquals("message_start", events.get(0).getString("type"));
    assertEquals("message_stop", events.get(events.size() - 1).getString("type"));
    assertTrue(events.stream().noneMatch(e -> e.getString("type").equals("ping")), "Bedrock streams carry no ping");
    assertTrue(textOf(events).startsWith(anthropic.marker()), textOf(events));

    RecordedRequest received = anthropic.requests("/v1/messages").get(0);
    JsonObject sent = received.json();
    assertEquals("claude-sonnet-4-5", sent.getString("model"), "the URL's id went through the alias");
    assertEquals(true, sent.getBoolean("stream"));
    assertFalse(sent.containsKey("anthropic_version"));
    assertFalse(sent.containsKey("anthropic_beta"));
    assertEquals(capture.getJsonObject("body").getJsonArray("messages"), sent.getJsonArray("messages"));
    assertEquals("claude-code-20250219,interleaved-thinking-2025-05-14,tool-search-tool-2025-10-19,"
        + "thinking-token-count-2026-05-13", received.header("anthropic-beta"));
    assertEquals(ANTHROPIC_KEY, received.header("x-api-key"));
    assertNoCloudCredentials(received);
  }

  @Test
  void should_answer_invoke_with_the_anthropic_message_json_as_bedrock_does() throws Exception {
    HttpResponse<byte[]> response = post("/bedrock/model/" + SONNET + "/invoke", simpleBody(), AWS_HEADERS);

    assertEquals(200, response.statusCode(), () -> text(response));
    assertTrue(header(response, "content-type").startsWith("application/json"));
    JsonObject message = new JsonObject(text(response));
    assertEquals("message", message.getString("type"));
    assertTrue(message.getJsonArray("content").getJsonObject(0).getString("text").startsWith(anthropic.marker()));
    assertEquals(false, anthropic.requests("/v1/messages").get(0).json().getBoolean("stream"));
  }

  @Test
  void should_translate_for_an_openai_upstream_streaming_and_not() throws Exception {
    // A first turn with Claude Code's tools: the fake answers with a Bash tool call.
    String body = ClaudeCodeCaptures.file("cc2.1.197-bedrock-invoke-stream.request.json").getJsonObject("body")
        .encode();
    openai.faults(Faults.none().splitEvery(13));

    HttpResponse<byte[]> streamed = post("/bedrock/model/" + VIA_OPENAI + "/invoke-with-response-stream", body,
        AWS_HEADERS);

    assertEquals(200, streamed.statusCode(), () -> text(streamed));
    List<JsonObject> events = chunks(streamed.body());
    assertEquals("message_start", events.get(0).getString("type"));
    JsonObject toolStart = events.stream().filter(e -> e.getString("type").equals("content_block_start")
        && "tool_use".equals(e.getJsonObject("content_block").getString("type"))).findFirst().orElseThrow();
    List<String> issued = openai.issuedToolCallIds();
    assertEquals(issued.get(issued.size() - 1), toolStart.getJsonObject("content_block").getString("id"));
    RecordedRequest chat = openai.requests("/v1/chat/completions").get(0);
    assertEquals("gpt-test", chat.json().getString("model"));
    assertNoCloudCredentials(chat);

    HttpResponse<byte[]> whole = post("/bedrock/model/" + VIA_OPENAI + "/invoke", simpleBody(), AWS_HEADERS);

    assertEquals(200, whole.statusCode(), () -> text(whole));
    assertEquals("message", new JsonObject(text(whole)).getString("type"));
    assertTrue(anthropic.requests().isEmpty(), () -> "nothing for the anthropic upstream: " + anthropic.requests());
  }

  @Test
  void should_count_tokens_of_claude_codes_count_call_in_bedrocks_shape() throws Exception {
    String body = ClaudeCodeCaptures.file("cc2.1.332-bedrock_count_tokens_req.json").getJsonObject("body").encode();
    anthropic.countTokensScript(request -> Reply.raw(200, "application/json", "{\"input_tokens\":4242}"));

    HttpResponse<byte[]> response = post("/bedrock/model/" + SONNET + "/count-tokens", body,
        Map.of("content-type", "application/json", "x-amz-user-agent", "aws-sdk-js/3.936.0"));

    assertEquals(200, response.statusCode(), () -> text(response));
    assertEquals(new JsonObject().put("inputTokens", 4242), new JsonObject(text(response)));
    RecordedRequest counted = anthropic.requests("/v1/messages/count_tokens").get(0);
    assertEquals("claude-sonnet-4-5", counted.json().getString("model"));
    assertFalse(counted.json().containsKey("anthropic_version"));
    assertFalse(counted.json().containsKey("stream"));
    assertNoCloudCredentials(counted);

    // The OpenAI dialect counts locally; the answer has Bedrock's shape all the same.
    HttpResponse<byte[]> estimated = post("/bedrock/model/" + VIA_OPENAI + "/count-tokens", body,
        Map.of("content-type", "application/json"));
    assertEquals(200, estimated.statusCode(), () -> text(estimated));
    assertTrue(new JsonObject(text(estimated)).getInteger("inputTokens") > 10, () -> text(estimated));
  }

  @Test
  void should_answer_converse_from_an_anthropic_upstream_in_converses_shape() throws Exception {
    HttpResponse<byte[]> response = post("/bedrock/model/" + SONNET + "/converse", converseBody(), AWS_HEADERS);

    assertEquals(200, response.statusCode(), () -> text(response));
    JsonObject answer = new JsonObject(text(response));
    JsonObject message = answer.getJsonObject("output").getJsonObject("message");
    assertEquals("assistant", message.getString("role"));
    assertTrue(message.getJsonArray("content").getJsonObject(0).getString("text").startsWith(anthropic.marker()));
    assertEquals("end_turn", answer.getString("stopReason"));
    assertTrue(answer.getJsonObject("usage").getInteger("outputTokens") > 0);

    RecordedRequest received = anthropic.requests("/v1/messages").get(0);
    JsonObject sent = received.json();
    assertEquals("claude-sonnet-4-5", sent.getString("model"));
    assertEquals(100, sent.getInteger("max_tokens"));
    assertEquals(new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "hi")))), sent.getJsonArray("messages"));
    assertEquals("claude-code-20250219,interleaved-thinking-2025-05-14", received.header("anthropic-beta"));
    assertNoCloudCredentials(received);
  }

  @Test
  void should_stream_converse_events_from_an_openai_upstream() throws Exception {
    HttpResponse<byte[]> response = post("/bedrock/model/" + VIA_OPENAI + "/converse-stream", converseBody(),
        AWS_HEADERS);

    assertEquals(200, response.statusCode(), () -> text(response));
    assertEquals("application/vnd.amazon.eventstream", header(response, "content-type"));
    List<EventStreamMessage> messages = new EventStreamDecoder(1 << 20).push(Buffer.buffer(response.body()));
    List<String> types = messages.stream().map(m -> m.headers().get(BedrockStreamEvents.EVENT_TYPE)).toList();
    assertEquals("messageStart", types.get(0));
    assertEquals(List.of("messageStop", "metadata"), types.subList(types.size() - 2, types.size()));
    StringBuilder text = new StringBuilder();
    for (EventStreamMessage message : messages) {
      JsonObject delta = new JsonObject(message.payload()).getJsonObject("delta");
      if (delta != null && delta.containsKey("text")) {
        text.append(delta.getString("text"));
      }
    }
    assertTrue(text.toString().startsWith(openai.marker()), text::toString);
    assertEquals("gpt-test", openai.requests("/v1/chat/completions").get(0).json().getString("model"));
  }

  @Test
  void should_count_the_tokens_of_a_converse_input() throws Exception {
    anthropic.countTokensScript(request -> Reply.raw(200, "application/json", "{\"input_tokens\":12}"));
    String body = "{\"input\":{\"converse\":" + converseBody() + "}}";

    HttpResponse<byte[]> response = post("/bedrock/model/" + SONNET + "/count-tokens", body,
        Map.of("content-type", "application/json"));

    assertEquals(200, response.statusCode(), () -> text(response));
    assertEquals(new JsonObject().put("inputTokens", 12), new JsonObject(text(response)));
    JsonObject counted = anthropic.requests("/v1/messages/count_tokens").get(0).json();
    assertEquals("claude-sonnet-4-5", counted.getString("model"));
    assertFalse(counted.containsKey("max_tokens"));
    assertEquals("hi", counted.getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(0)
        .getString("text"));
  }

  /** A Converse request, as the Bedrock Runtime API reference shapes one. */
  private static String converseBody() {
    return new JsonObject()
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", new JsonArray().add(new JsonObject().put("text", "hi")))))
        .put("inferenceConfig", new JsonObject().put("maxTokens", 100))
        .put("additionalModelRequestFields", new JsonObject()
            .put("anthropic_beta", new JsonArray().add("interleaved-thinking-2025-05-14")))
        .encode();
  }

  @Test
  void should_list_the_aliases_that_look_like_bedrock_ids_as_system_defined_profiles() throws Exception {
    HttpResponse<byte[]> response = get("/bedrock/inference-profiles?type=SYSTEM_DEFINED");

    assertEquals(200, response.statusCode(), () -> text(response));
    JsonArray summaries = new JsonObject(text(response)).getJsonArray("inferenceProfileSummaries");
    assertEquals(List.of(VIA_OPENAI, SONNET), summaries.stream()
        .map(s -> ((JsonObject) s).getString("inferenceProfileId")).toList(), "'fast' is no Bedrock id");
    JsonObject sonnet = summaries.getJsonObject(1);
    assertEquals("arn:aws:bedrock:eu-west-1::inference-profile/" + SONNET, sonnet.getString("inferenceProfileArn"));
    assertEquals("arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        sonnet.getJsonArray("models").getJsonObject(0).getString("modelArn"));
    assertEquals("ACTIVE", sonnet.getString("status"));
    assertEquals("SYSTEM_DEFINED", sonnet.getString("type"));
    assertEquals(SONNET, sonnet.getString("inferenceProfileName"));

    assertEquals(0, new JsonObject(text(get("/bedrock/inference-profiles?type=APPLICATION")))
        .getJsonArray("inferenceProfileSummaries").size());
    HttpResponse<byte[]> byArn = get("/bedrock/inference-profiles/arn%3Aaws%3Abedrock%3Aeu-west-1%3A%3Ainference-"
        + "profile%2F" + SONNET.replace(":", "%3A"));
    assertEquals(200, byArn.statusCode(), () -> text(byArn));
    assertEquals(sonnet, new JsonObject(text(byArn)));
    assertEquals(sonnet, new JsonObject(text(get("/bedrock/inference-profiles/" + SONNET))));

    HttpResponse<byte[]> unknown = get("/bedrock/inference-profiles/us.anthropic.claude-none-v1:0");
    assertBedrockError(unknown, 404, "ResourceNotFoundException", "No inference profile");
  }

  @Test
  void should_answer_an_upstream_429_as_a_throttling_exception_keeping_its_message_and_retry_after()
      throws Exception {
    anthropic.script(request -> Reply.rateLimited(7));

    HttpResponse<byte[]> response = post("/bedrock/model/" + SONNET + "/invoke-with-response-stream", simpleBody(),
        AWS_HEADERS);

    assertBedrockError(response, 429, "ThrottlingException", "Rate limit exceeded (fake upstream)");
    assertEquals("7", header(response, "retry-after"));
  }

  @Test
  void should_keep_the_upstreams_words_in_a_validation_exception() throws Exception {
    String message = "prompt is too long: 210000 tokens > 200000 maximum";
    anthropic.script(request -> Reply.error(400, "invalid_request_error", message));

    HttpResponse<byte[]> response = post("/bedrock/model/" + SONNET + "/invoke", simpleBody(), AWS_HEADERS);

    assertBedrockError(response, 400, "ValidationException", message);
    assertEquals(message, new JsonObject(text(response)).getString("message"));
  }

  @Test
  void should_end_a_stream_whose_upstream_reports_an_error_with_an_exception_message() throws Exception {
    anthropic.script(request -> Reply.message(new Reply.Text("partial answer"),
        new Reply.StreamError("overloaded_error", "Overloaded")));

    HttpResponse<byte[]> response = post("/bedrock/model/" + SONNET + "/invoke-with-response-stream", simpleBody(),
        AWS_HEADERS);

    assertEquals(200, response.statusCode());
    List<EventStreamMessage> messages = new EventStreamDecoder(1 << 20).push(Buffer.buffer(response.body()));
    EventStreamMessage last = messages.get(messages.size() - 1);
    assertEquals("exception", last.headers().get(BedrockStreamEvents.MESSAGE_TYPE));
    assertEquals("serviceUnavailableException", last.headers().get(BedrockStreamEvents.EXCEPTION_TYPE));
    assertEquals("Overloaded", new JsonObject(last.payload()).getString("message"));
    assertEquals("message_start", new JsonObject(BedrockStreamEvents.chunkBytes(messages.get(0))).getString("type"));
  }

  @Test
  void should_refuse_what_the_url_cannot_name_in_bedrocks_form() throws Exception {
    assertBedrockError(post("/bedrock/model/claude%20sonnet/invoke", simpleBody(), AWS_HEADERS), 400,
        "ValidationException", "model id");
    assertBedrockError(post("/bedrock/model/" + SONNET + "/converse", "{\"messages\":[],\"guardrailConfig\":{}}",
        AWS_HEADERS), 400, "ValidationException", "guardrailConfig");
    assertBedrockError(post("/bedrock/model/" + SONNET + "/invoke-async", simpleBody(), AWS_HEADERS), 404,
        "ResourceNotFoundException", "No endpoint");
    assertBedrockError(post("/bedrock/model/" + SONNET + "/count-tokens", "{\"input\":{}}", AWS_HEADERS), 400,
        "ValidationException", "invokeModel");
    assertTrue(anthropic.requests().isEmpty(), () -> "nothing should reach the upstream: " + anthropic.requests());
  }

  @Test
  void should_take_a_virtual_key_as_a_bedrock_bearer_token_or_a_custom_header_but_never_an_aws_signature()
      throws Exception {
    try (GatewayHarness governed = GatewayHarness.start(new JsonObject()
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", anthropic.baseUrl(), ANTHROPIC_KEY)))
        .put("aliases", new JsonObject().put(SONNET, "anthropic/claude-sonnet-4-5"))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true).put("virtual_keys", new JsonArray()
            .add(new JsonObject().put("id", "vk-bedrock").put("value", "tp-vk-bedrock-secret")))))) {
      String path = "/bedrock/model/" + SONNET + "/invoke";

      HttpResponse<byte[]> signed = send(governed, "POST", path, simpleBody(), AWS_HEADERS);
      assertBedrockError(signed, 403, "AccessDeniedException", "");

      Map<String, String> bearer = new java.util.HashMap<>(AWS_HEADERS);
      bearer.put("authorization", "Bearer tp-vk-bedrock-secret"); // AWS_BEARER_TOKEN_BEDROCK
      assertEquals(200, send(governed, "POST", path, simpleBody(), bearer).statusCode());

      Map<String, String> custom = new java.util.HashMap<>(AWS_HEADERS);
      custom.put("x-turnpike-vk", "tp-vk-bedrock-secret"); // ANTHROPIC_CUSTOM_HEADERS
      assertEquals(200, send(governed, "POST", path, simpleBody(), custom).statusCode());
      for (RecordedRequest received : anthropic.requests()) {
        assertFalse(received.contains("tp-vk-bedrock-secret"), "the virtual key reached the upstream");
        assertNoCloudCredentials(received);
      }
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  static void assertNoCloudCredentials(RecordedRequest received) {
    for (var header : received.headers()) {
      String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
      assertFalse(name.startsWith("x-amz") || name.startsWith("amz-sdk-") || name.startsWith("x-goog-"),
          name + " reached the upstream");
      assertFalse(header.getValue().startsWith("AWS4-HMAC-SHA256"), name + " carried the AWS signature upstream");
    }
    assertFalse(received.contains("SESSIONTOKENFAKE"), "the AWS session token reached the upstream");
  }

  private static void assertBedrockError(HttpResponse<byte[]> response, int status, String exception,
                                         String messagePart) {
    assertEquals(status, response.statusCode(), () -> text(response));
    assertEquals(exception, header(response, "x-amzn-errortype"), () -> text(response));
    JsonObject body = new JsonObject(text(response));
    assertEquals(List.of("message"), List.copyOf(body.fieldNames()), body::encode);
    assertTrue(body.getString("message").contains(messagePart), body::encode);
  }

  /** The Anthropic events the chunks of a Bedrock event stream carry; fails on any other message. */
  static List<JsonObject> chunks(byte[] stream) {
    List<JsonObject> events = new ArrayList<>();
    for (EventStreamMessage message : new EventStreamDecoder(1 << 20).push(Buffer.buffer(stream))) {
      events.add(new JsonObject(BedrockStreamEvents.chunkBytes(message)));
    }
    return events;
  }

  static String textOf(List<JsonObject> events) {
    StringBuilder text = new StringBuilder();
    for (JsonObject event : events) {
      JsonObject delta = event.getJsonObject("delta");
      if ("content_block_delta".equals(event.getString("type")) && "text_delta".equals(delta.getString("type"))) {
        text.append(delta.getString("text"));
      }
    }
    return text.toString();
  }

  /** A Bedrock InvokeModel body: no model, no stream, Bedrock's version. */
  static String simpleBody() {
    return new JsonObject().put("anthropic_version", "bedrock-2023-05-31").put("max_tokens", 100)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  private static HttpResponse<byte[]> post(String path, String body, Map<String, String> headers) throws Exception {
    return send(gateway, "POST", path, body, headers);
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return send(gateway, "GET", path, null, Map.of());
  }

  static HttpResponse<byte[]> send(GatewayHarness target, String method, String path, String body,
                                   Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url(path))).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return target.http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void should_not_list_profiles_when_the_config_lists_none_and_no_alias_looks_like_one() throws Exception {
    try (GatewayHarness bare = GatewayHarness.start(new JsonObject().put("providers", new JsonObject()
        .put("anthropic", GatewayHarness.provider("anthropic", anthropic.baseUrl(), ANTHROPIC_KEY))))) {
      HttpResponse<byte[]> response = send(bare, "GET", "/bedrock/inference-profiles", null, Map.of());
      assertEquals(200, response.statusCode());
      assertEquals(0, new JsonObject(text(response)).getJsonArray("inferenceProfileSummaries").size());
      assertNull(header(response, "x-amzn-errortype"));
    }
  }
}
