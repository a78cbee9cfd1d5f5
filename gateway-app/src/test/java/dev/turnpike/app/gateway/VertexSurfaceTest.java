package dev.turnpike.app.gateway;

import static dev.turnpike.app.gateway.BedrockSurfaceTest.assertNoCloudCredentials;
import static dev.turnpike.app.gateway.BedrockSurfaceTest.header;
import static dev.turnpike.app.gateway.BedrockSurfaceTest.send;
import static dev.turnpike.app.gateway.BedrockSurfaceTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
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
import org.junit.jupiter.api.Test;

/**
 * The Vertex surface over real HTTP, as Claude Code calls it in Vertex mode with the gateway holding the Google
 * credentials: its bodies (the captures) reach the fakes as ordinary Messages calls; answers are Anthropic's.
 */
class VertexSurfaceTest {
  private static final String ANTHROPIC_KEY = "sk-ant-upstream-configured";
  private static final String OPENAI_KEY = "sk-openai-upstream-configured";
  private static final String BASE = "/genai/v1/projects/my-proj/locations/us-east5/publishers/anthropic/models/";
  /** What a Google client adds; none of it may reach an upstream. */
  private static final Map<String, String> GOOGLE_HEADERS = Map.of(
      "authorization", "Bearer ya29.google-access-token-FAKE",
      "x-goog-api-client", "gl-node/26.12.1 auth/9.15.1",
      "x-goog-user-project", "my-proj",
      "anthropic-version", "2023-06-01",
      "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14",
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
        .put("aliases", new JsonObject().put("claude-haiku-4-5@20251001", "openai/gpt-test")));
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
  void should_stream_claude_codes_call_with_and_without_v1_as_anthropic_sse() throws Exception {
    String body = ClaudeCodeCaptures.file("cc2.1.332-vertex_req_with_tool_result.json").getJsonObject("body").encode();
    anthropic.faults(Faults.none().splitEvery(7));
    for (String path : List.of(BASE + "claude-sonnet-4-5@20250929:streamRawPredict",
        BASE.replace("/v1/", "/") + "claude-sonnet-4-5%4020250929:streamRawPredict")) {
      anthropic.clearRequests();

      HttpResponse<byte[]> response = send(gateway, "POST", path, body, GOOGLE_HEADERS);

      assertEquals(200, response.statusCode(), () -> text(response));
      assertTrue(header(response, "content-type").startsWith("text/event-stream"));
      List<Sse> events = Sse.parse(text(response));
      assertEquals("message_start", events.get(0).event());
      assertEquals("message_stop", events.get(events.size() - 1).event());
      assertTrue(Sse.text(events).startsWith(anthropic.marker()));
      RecordedRequest received = anthropic.requests("/v1/messages").get(0);
      assertEquals("claude-sonnet-4-5@20250929", received.json().getString("model"));
      assertEquals(true, received.json().getBoolean("stream"));
      assertFalse(received.json().containsKey("anthropic_version"));
      assertEquals("claude-code-20250219,interleaved-thinking-2025-05-14", received.header("anthropic-beta"));
      assertEquals(ANTHROPIC_KEY, received.header("x-api-key"));
      assertFalse(received.contains("ya29.google-access-token-FAKE"), "the Google token reached the upstream");
      assertNoCloudCredentials(received);
    }
  }

  @Test
  void should_answer_raw_predict_with_the_message_json() throws Exception {
    String body = new JsonObject().put("anthropic_version", "vertex-2023-10-16").put("max_tokens", 100)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<byte[]> response = send(gateway, "POST", BASE + "claude-sonnet-4-5@20250929:rawPredict", body,
        GOOGLE_HEADERS);

    assertEquals(200, response.statusCode(), () -> text(response));
    assertEquals("message", new JsonObject(text(response)).getString("type"));
    assertEquals(false, anthropic.requests("/v1/messages").get(0).json().getBoolean("stream"));
  }

  @Test
  void should_translate_for_an_openai_upstream() throws Exception {
    String body = ClaudeCodeCaptures.file("cc2.1.197-vertex-stream.request.json").getJsonObject("body").encode();

    HttpResponse<byte[]> response = send(gateway, "POST", BASE + "claude-haiku-4-5@20251001:streamRawPredict", body,
        GOOGLE_HEADERS);

    assertEquals(200, response.statusCode(), () -> text(response));
    List<Sse> events = Sse.parse(text(response));
    assertTrue(events.stream().anyMatch(e -> e.event().equals("content_block_start")
        && "tool_use".equals(e.data().getJsonObject("content_block").getString("type"))), () -> text(response));
    RecordedRequest chat = openai.requests("/v1/chat/completions").get(0);
    assertEquals("gpt-test", chat.json().getString("model"));
    assertNoCloudCredentials(chat);
    assertFalse(chat.contains("ya29.google-access-token-FAKE"));
  }

  @Test
  void should_count_tokens_with_the_model_the_body_names() throws Exception {
    String body = ClaudeCodeCaptures.file("cc2.1.332-vertex_count_tokens_req.json").getJsonObject("body").encode();
    anthropic.countTokensScript(request -> Reply.raw(200, "application/json", "{\"input_tokens\":17}"));

    HttpResponse<byte[]> response = send(gateway, "POST", BASE + "count-tokens:rawPredict", body, GOOGLE_HEADERS);

    assertEquals(200, response.statusCode(), () -> text(response));
    assertEquals(new JsonObject().put("input_tokens", 17), new JsonObject(text(response)));
    RecordedRequest counted = anthropic.requests("/v1/messages/count_tokens").get(0);
    assertEquals("claude-opus-5-5", counted.json().getString("model"));
    assertFalse(counted.json().containsKey("anthropic_version"));
    assertNoCloudCredentials(counted);
  }

  @Test
  void should_answer_errors_in_anthropics_form() throws Exception {
    anthropic.script(request -> Reply.rateLimited(3));
    String body = new JsonObject().put("max_tokens", 10).put("messages", new JsonArray()).encode();

    HttpResponse<byte[]> limited = send(gateway, "POST", BASE + "claude-sonnet-4-5@20250929:streamRawPredict", body,
        GOOGLE_HEADERS);

    assertEquals(429, limited.statusCode());
    assertEquals("rate_limit_error", new JsonObject(text(limited)).getJsonObject("error").getString("type"));
    assertEquals("3", header(limited, "retry-after"));

    HttpResponse<byte[]> badId = send(gateway, "POST", BASE + "claude%0Asonnet:rawPredict", body, GOOGLE_HEADERS);
    assertEquals(400, badId.statusCode());
    assertEquals("invalid_request_error", new JsonObject(text(badId)).getJsonObject("error").getString("type"));

    HttpResponse<byte[]> otherPublisher = send(gateway, "POST",
        "/genai/v1/projects/p/locations/l/publishers/google/models/gemini-2.5-pro:streamGenerateContent", body,
        GOOGLE_HEADERS);
    assertEquals(404, otherPublisher.statusCode());
    assertEquals("not_found_error", new JsonObject(text(otherPublisher)).getJsonObject("error").getString("type"));
  }
}
