package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeVertexUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.Reply;
import dev.turnpike.app.fakes.TestServiceAccount;
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
 * Dialect {@code vertex} with Google's own {@code gemini-*} models: the same provider (project, region, service
 * account) that serves Claude on Vertex sends them to {@code publishers/google/models/...:streamGenerateContent},
 * translated, to a fake Vertex that refuses what Vertex refuses (call ids included: Vertex has none).
 */
class VertexGeminiTest {
  private static final String PROJECT = "turnpike-test";
  private static final String REGION = "us-central1";
  private static final String EMAIL = "gateway@turnpike-test.iam.gserviceaccount.com";
  private static Vertx fakes;
  private static FakeVertexUpstream vertex;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    TestServiceAccount serviceAccount = TestServiceAccount.generate(EMAIL, PROJECT);
    fakes = Vertx.vertx();
    vertex = new FakeVertexUpstream(fakes, serviceAccount.publicKey(), EMAIL, PROJECT, REGION).start().await();
    JsonObject account = serviceAccount.keyFile(vertex.tokenUrl());
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject().put("vertex", new JsonObject().put("dialect", "vertex")
            .put("base_url", vertex.baseUrl()).put("project", PROJECT).put("region", REGION)
            .put("google", new JsonObject().put("credentials_json", account.encode())))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    vertex.reset();
  }

  private static List<RecordedRequest> modelCalls() {
    return vertex.requests().stream().filter(r -> !r.path().equals("/token")).toList();
  }

  private static String claudeCodeRequest(String model) throws Exception {
    return ClaudeCodeCaptures.body("cc2.1.197-messages-tool-first.request.json", model);
  }

  @Test
  void should_stream_a_tool_call_and_take_its_result_back_without_call_ids() throws Exception {
    vertex.faults(Faults.none().splitEvery(7));
    String first = claudeCodeRequest("vertex/gemini-3-pro-preview");

    HttpResponse<String> call = gateway.messages(first);

    assertEquals(200, call.statusCode(), call.body());
    RecordedRequest sent = modelCalls().get(0);
    assertEquals("/v1/projects/" + PROJECT + "/locations/" + REGION
        + "/publishers/google/models/gemini-3-pro-preview:streamGenerateContent", sent.path());
    assertEquals("alt=sse", sent.query());
    assertTrue(sent.header("authorization").startsWith("Bearer ya29.fake-"));
    assertFalse(sent.contains(GatewayHarness.CLIENT_KEY));
    List<Sse> events = Sse.parse(call.body());
    Sse start = events.stream().filter(e -> e.event().equals("content_block_start")
        && "tool_use".equals(e.data().getJsonObject("content_block").getString("type"))).findFirst().orElseThrow();
    JsonObject toolUse = start.data().getJsonObject("content_block");
    StringBuilder input = new StringBuilder();
    events.stream().filter(e -> e.event().equals("content_block_delta")
            && e.data().getInteger("index").equals(start.data().getInteger("index")))
        .forEach(e -> input.append(e.data().getJsonObject("delta").getString("partial_json")));

    JsonObject body = new JsonObject(first);
    body.getJsonArray("messages").add(new JsonObject().put("role", "assistant").put("content", new JsonArray()
        .add(toolUse.copy().put("input", new JsonObject(input.toString())))));
    body.getJsonArray("messages").add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "tool_result").put("tool_use_id", toolUse.getString("id"))
            .put("content", ""))));
    HttpResponse<String> answer = gateway.messages(body.encode());

    assertEquals(200, answer.statusCode(), answer.body());
    assertTrue(Sse.text(Sse.parse(answer.body())).contains(vertex.marker()));
    String issued = vertex.issuedToolCallIds().get(vertex.issuedToolCallIds().size() - 1);
    assertTrue(vertex.receivedToolResultFor(issued));
  }

  @Test
  void should_translate_a_whole_answer_and_keep_claude_on_the_anthropic_path() throws Exception {
    vertex.script(request -> Reply.text("from gemini").withUsage(30, 4));
    String body = new JsonObject().put("model", "vertex/gemini-2.5-flash").put("max_tokens", 64)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode(), response.body());
    JsonObject message = new JsonObject(response.body());
    assertEquals("from gemini", message.getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals(30, message.getJsonObject("usage").getInteger("input_tokens"));
    assertTrue(modelCalls().get(0).path().endsWith("/publishers/google/models/gemini-2.5-flash:generateContent"));

    vertex.claudeCodeScript();
    HttpResponse<String> claude = gateway.messages(body.replace("vertex/gemini-2.5-flash",
        "vertex/claude-sonnet-4-5@20250929"));
    assertEquals(200, claude.statusCode(), claude.body());
    assertTrue(modelCalls().get(1).path().endsWith("/publishers/anthropic/models/claude-sonnet-4-5%4020250929:rawPredict"));
  }

  @Test
  void should_count_tokens_with_vertex_count_tokens() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens",
        claudeCodeRequest("vertex/gemini-2.5-pro"), Map.of("x-api-key", GatewayHarness.CLIENT_KEY));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest call = modelCalls().get(0);
    assertTrue(call.path().endsWith("/publishers/google/models/gemini-2.5-pro:countTokens"), call.path());
    assertNotNull(call.json().getJsonArray("contents"));
    assertEquals(call.body().length() / 4, new JsonObject(response.body()).getInteger("input_tokens"));
  }

  @Test
  void should_show_a_vertex_quota_error_as_an_anthropic_rate_limit() throws Exception {
    vertex.script(request -> Reply.rateLimited(5));

    HttpResponse<String> response = gateway.messages(claudeCodeRequest("vertex/gemini-2.5-pro"));

    assertEquals(429, response.statusCode(), response.body());
    assertEquals("rate_limit_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
    assertEquals("5", response.headers().firstValue("retry-after").orElse(""));
  }
}
