package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Dialect {@code bedrock}: an Anthropic request served by a fake Bedrock that checks SigV4 with the same test
 * credentials, refuses what Bedrock refuses, and streams AWS event-stream chunks.
 */
class BedrockTargetTest {
  /** The example credentials of AWS's documentation, never real ones. */
  private static final AwsCredentials CREDENTIALS = new AwsCredentials("AKIDEXAMPLE",
      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-example");
  private static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  private static final String API_KEY = "bedrock-api-key-example";
  private static Vertx fakes;
  private static FakeBedrockUpstream signed;
  private static FakeBedrockUpstream keyed;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    signed = new FakeBedrockUpstream(fakes, CREDENTIALS).start().await();
    keyed = new FakeBedrockUpstream(fakes, CREDENTIALS).apiKey(API_KEY).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject()
            .put("bedrock", sigV4Provider(signed.baseUrl(), CREDENTIALS.secretAccessKey()))
            .put("bedrock-wrong-secret", sigV4Provider(signed.baseUrl(), "not-the-secret"))
            .put("bedrock-key", new JsonObject().put("dialect", "bedrock").put("base_url", keyed.baseUrl())
                .put("keys", new JsonArray().add(API_KEY)))));
  }

  private static JsonObject sigV4Provider(String baseUrl, String secret) {
    return new JsonObject().put("dialect", "bedrock").put("base_url", baseUrl).put("region", FakeBedrockUpstream.REGION)
        .put("aws", new JsonObject().put("access_key_id", CREDENTIALS.accessKeyId()).put("secret_access_key", secret)
            .put("session_token", CREDENTIALS.sessionToken()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    for (FakeBedrockUpstream fake : List.of(signed, keyed)) {
      fake.clearRequests();
      fake.claudeCodeScript();
      fake.rawStream(null);
    }
  }

  private static String claudeCodeBody(String model) throws Exception {
    return ClaudeCodeCaptures.body("cc2.1.332-anthropic_req_with_tool_result.json", model);
  }

  @Test
  void should_stream_a_claude_code_request_through_signed_invoke_with_response_stream() throws Exception {
    String body = claudeCodeBody("bedrock/" + MODEL);

    HttpResponse<String> response = gateway.post("/anthropic/v1/messages?beta=true", body, Map.of(
        "x-api-key", GatewayHarness.CLIENT_KEY, "anthropic-version", "2023-06-01",
        "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14", "content-type", "application/json",
        "x-amz-security-token", "client-token-must-not-travel"));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<Sse> events = Sse.parse(response.body());
    assertEquals("message_start", events.get(0).event());
    assertEquals("message_stop", events.get(events.size() - 1).event());
    assertTrue(Sse.text(events).contains(signed.marker()), Sse.text(events));

    RecordedRequest received = signed.requests().get(0);
    assertEquals("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream",
        received.path(), "the model id is percent-encoded into one path segment");
    assertEquals(MODEL, FakeBedrockUpstream.modelOf(received));
    JsonObject sent = received.json();
    assertEquals("bedrock-2023-05-31", sent.getString("anthropic_version"));
    assertEquals(new JsonArray().add("claude-code-20250219").add("interleaved-thinking-2025-05-14"),
        sent.getJsonArray("anthropic_beta"), "the anthropic-beta header travels in the body");
    JsonObject original = new JsonObject(body);
    original.remove("model");
    original.remove("stream");
    sent.remove("anthropic_version");
    sent.remove("anthropic_beta");
    assertEquals(original, sent, "every other field is the client's");
    assertEquals(CREDENTIALS.sessionToken(), received.header("x-amz-security-token"));
    assertTrue(received.header("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    assertFalse(received.contains(GatewayHarness.CLIENT_KEY), "client key leaked upstream");
    assertFalse(received.contains("client-token-must-not-travel"), "client AWS header leaked upstream");
  }

  @Test
  void should_answer_a_whole_message_through_invoke() throws Exception {
    String body = new JsonObject().put("model", "bedrock/" + MODEL).put("max_tokens", 100)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode(), response.body());
    JsonObject message = new JsonObject(response.body());
    assertEquals("message", message.getString("type"));
    assertTrue(message.getJsonArray("content").getJsonObject(0).getString("text").startsWith(signed.marker()));
    assertTrue(signed.requests().get(0).path().endsWith("/invoke"));
    assertNull(signed.requests().get(0).json().getValue("stream"));
  }

  @Test
  void should_count_tokens_with_bedrock_count_tokens() throws Exception {
    String body = ClaudeCodeCaptures.body("cc2.1.332-anthropic_count_tokens_req.json", "bedrock/" + MODEL);

    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens?beta=true", body, Map.of(
        "x-api-key", GatewayHarness.CLIENT_KEY, "anthropic-version", "2023-06-01",
        "content-type", "application/json"));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest received = signed.requests().get(0);
    assertTrue(received.path().endsWith("/count-tokens"), received.path());
    // The fake counts a quarter of the bytes it received; the answer must be its count, renamed.
    assertEquals(Math.max(1, received.body().length() / 4), new JsonObject(response.body()).getInteger("input_tokens"));
  }

  @Test
  void should_refuse_a_wrong_signature_with_a_clean_gateway_error() throws Exception {
    String body = new JsonObject().put("model", "bedrock-wrong-secret/" + MODEL).put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(502, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body());
    assertEquals("error", error.getString("type"));
    assertTrue(error.getJsonObject("error").getString("message").contains("403"), response.body());
    assertFalse(response.body().contains("not-the-secret"));
    assertEquals(1, signed.requests().size(), "the fake saw the request and refused its signature");
  }

  @Test
  void should_send_a_bedrock_api_key_as_a_bearer_token_instead_of_signing() throws Exception {
    String body = new JsonObject().put("model", "bedrock-key/" + MODEL).put("max_tokens", 10).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest received = keyed.requests().get(0);
    assertEquals("Bearer " + API_KEY, received.header("authorization"));
    assertNull(received.header("x-amz-date"));
  }

  @Test
  void should_pass_throttling_on_as_a_rate_limit() throws Exception {
    signed.script(request -> Reply.rateLimited(7));
    String body = new JsonObject().put("model", "bedrock/" + MODEL).put("max_tokens", 10).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(429, response.statusCode(), response.body());
    assertEquals("rate_limit_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
    assertEquals("7", response.headers().firstValue("retry-after").orElse(""));
  }

  @Test
  void should_end_the_stream_with_an_error_event_when_bedrock_reports_an_exception_mid_stream() throws Exception {
    signed.script(request -> Reply.message(new Reply.Text("partial answer"),
        new Reply.StreamError("overloaded_error", "Bedrock is busy")));
    String body = new JsonObject().put("model", "bedrock/" + MODEL).put("max_tokens", 10).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode(), response.body());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("error", events.get(events.size() - 1).event(), response.body());
    assertTrue(Sse.text(events).contains("partial answer"), response.body());
    assertEquals("overloaded_error", events.get(events.size() - 1).data().getJsonObject("error").getString("type"));
  }

  @Test
  void should_refuse_a_corrupt_event_stream_before_any_bytes_reach_the_client() throws Exception {
    Buffer frame = BedrockStreamEvents.chunk(Buffer.buffer("{\"type\":\"message_start\",\"message\":{}}"));
    frame.setByte(frame.length() - 1, (byte) (frame.getByte(frame.length() - 1) ^ 0x01)); // message CRC broken
    signed.rawStream(frame);
    String body = new JsonObject().put("model", "bedrock/" + MODEL).put("max_tokens", 10).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(502, response.statusCode(), response.body());
    assertTrue(new JsonObject(response.body()).getJsonObject("error").getString("message")
        .contains("broken event stream"), response.body());
  }
}
