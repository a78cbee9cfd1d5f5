package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAzureOpenAiUpstream;
import dev.turnpike.app.fakes.FakeAzureResource;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dialect {@code azure} through a real node: one provider, one fake Foundry resource behind one key, serving
 * {@code azure/gpt-5} from an Azure OpenAI deployment (translated to Chat Completions of API version 2024-10-21,
 * which the fake enforces) and {@code azure/claude-*} from its Anthropic endpoint (same family, patched).
 */
class AzureTargetTest {
  private static final String KEY = "azure-resource-key-0123456789abcdef";
  private static Vertx fakes;
  private static FakeAzureResource azure;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    azure = new FakeAzureResource(fakes, KEY, Map.of("gpt5-prod", "gpt-5-2025-08-07", "gpt-4o", "gpt-4o-2024-08-06"),
        Set.of("claude-sonnet-4-5", "team-opus")).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject()
            .put("azure", new JsonObject().put("dialect", "azure").put("base_url", azure.baseUrl())
                .put("keys", new JsonArray().add(KEY))
                .put("deployments", new JsonObject().put("gpt-5", "gpt5-prod").put("claude-opus-4-1", "team-opus")))
            .put("azure-wrong-key", new JsonObject().put("dialect", "azure").put("base_url", azure.baseUrl())
                .put("keys", new JsonArray().add("not-the-key")))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    azure.openAi().reset();
    azure.claude().reset();
  }

  private static String claudeCode(String capture, String model) throws Exception {
    return ClaudeCodeCaptures.body(capture, model);
  }

  private static String simple(String model, boolean stream, JsonArray content) {
    return new JsonObject().put("model", model).put("max_tokens", 100).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content))).encode();
  }

  // ---- Azure OpenAI -------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 13})
  void should_stream_a_tool_call_from_an_azure_openai_deployment_when_bytes_split_anywhere(int splitEvery)
      throws Exception {
    azure.openAi().faults(Faults.none().splitEvery(splitEvery));

    HttpResponse<String> response = gateway.messages(claudeCode("cc2.1.197-messages-tool-first.request.json",
        "azure/gpt-5"));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest call = azure.openAi().requests().get(0);
    assertEquals("/openai/deployments/gpt5-prod/chat/completions", call.path());
    assertEquals("api-version=2024-10-21", call.query());
    assertEquals(KEY, call.header("api-key"));
    assertNull(call.header("authorization"));
    assertFalse(call.contains(GatewayHarness.CLIENT_KEY), "the client's key reached Azure");
    assertFalse(call.json().containsKey("model"), "the deployment in the path names the model");
    assertTrue(call.json().getJsonObject("stream_options").getBoolean("include_usage"));
    List<Sse> events = Sse.parse(response.body());
    assertEquals("message_start", events.get(0).event());
    assertEquals("message_stop", events.get(events.size() - 1).event());
    Sse toolStart = events.stream().filter(e -> e.event().equals("content_block_start")
        && "tool_use".equals(e.data().getJsonObject("content_block").getString("type"))).findFirst().orElseThrow();
    List<String> issued = azure.openAi().issuedToolCallIds();
    assertEquals(issued.get(issued.size() - 1), toolStart.data().getJsonObject("content_block").getString("id"));
    JsonObject delta = events.get(events.size() - 2).data();
    assertEquals("tool_use", delta.getJsonObject("delta").getString("stop_reason"));
    assertTrue(delta.getJsonObject("usage").getInteger("output_tokens") > 0, "usage from the include_usage chunk");
  }

  @Test
  void should_send_a_claude_code_tool_result_the_strict_deployment_accepts() throws Exception {
    HttpResponse<String> response = gateway.messages(claudeCode("cc2.1.332-anthropic_req_with_tool_result.json",
        "azure/gpt-5"));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(Sse.text(Sse.parse(response.body())).contains(azure.openAi().marker()), response.body());
    JsonArray messages = azure.openAi().requests().get(0).json().getJsonArray("messages");
    int assistant = 0;
    while (!messages.getJsonObject(assistant).containsKey("tool_calls")) {
      assistant++;
    }
    String callId = messages.getJsonObject(assistant).getJsonArray("tool_calls").getJsonObject(0).getString("id");
    JsonObject next = messages.getJsonObject(assistant + 1);
    assertEquals("tool", next.getString("role"));
    assertEquals(callId, next.getString("tool_call_id"));
  }

  @Test
  void should_answer_a_whole_message_with_usage_when_not_streaming() throws Exception {
    azure.openAi().script(request -> Reply.text("plain answer \u00e9").withUsage(120, 7));

    HttpResponse<String> response = gateway.messages(simple("azure/gpt-5", false,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi"))));

    assertEquals(200, response.statusCode(), response.body());
    JsonObject message = new JsonObject(response.body());
    assertEquals("plain answer \u00e9", message.getJsonArray("content").getJsonObject(0).getString("text"));
    assertEquals("end_turn", message.getString("stop_reason"));
    assertEquals(120, message.getJsonObject("usage").getInteger("input_tokens"));
    assertEquals(7, message.getJsonObject("usage").getInteger("output_tokens"));
    assertEquals("azure/gpt-5", message.getString("model"));
  }

  @Test
  void should_send_an_image_and_leave_a_note_for_a_pdf_the_deployment_cannot_take() throws Exception {
    JsonArray content = new JsonArray()
        .add(new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "base64")
            .put("media_type", "image/png").put("data", "iVBORw0KGgo=")))
        .add(new JsonObject().put("type", "document").put("title", "spec.pdf").put("source", new JsonObject()
            .put("type", "base64").put("media_type", "application/pdf").put("data", "JVBERi0xLjQK")))
        .add(new JsonObject().put("type", "text").put("text", "What is shown?"));

    HttpResponse<String> response = gateway.messages(simple("azure/gpt-5", true, content));

    assertEquals(200, response.statusCode(), response.body());
    JsonArray parts = azure.openAi().requests().get(0).json().getJsonArray("messages").getJsonObject(0)
        .getJsonArray("content");
    assertEquals("data:image/png;base64,iVBORw0KGgo=", parts.getJsonObject(0).getJsonObject("image_url")
        .getString("url"));
    assertEquals("text", parts.getJsonObject(1).getString("type"));
    assertTrue(parts.getJsonObject(1).getString("text").contains("spec.pdf"));
  }

  @Test
  void should_answer_count_tokens_locally_for_an_azure_openai_model() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens",
        claudeCode("cc2.1.197-messages-tool-first.request.json", "azure/gpt-5"),
        Map.of("x-api-key", GatewayHarness.CLIENT_KEY));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(new JsonObject(response.body()).getInteger("input_tokens") > 1000);
    assertTrue(azure.openAi().requests().isEmpty());
  }

  @Test
  void should_map_azure_throttling_to_a_rate_limit_error_with_its_retry_after() throws Exception {
    azure.openAi().script(request -> Reply.rateLimited(7));

    HttpResponse<String> response = gateway.messages(simple("azure/gpt-5", true,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi"))));

    assertEquals(429, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("rate_limit_error", error.getString("type"));
    assertTrue(error.getString("message").contains("exceeded token rate limit"), error.getString("message"));
    assertEquals("7", response.headers().firstValue("retry-after").orElse(""));
  }

  @Test
  void should_say_the_content_filter_blocked_the_prompt() throws Exception {
    azure.openAi().script(request -> Reply.error(400, "content_filter", null));

    HttpResponse<String> response = gateway.messages(simple("azure/gpt-5", true,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "something hateful"))));

    assertEquals(400, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertTrue(error.getString("message").contains("content filter blocked the prompt (hate: high)"),
        error.getString("message"));
  }

  @Test
  void should_stop_with_refusal_when_the_content_filter_cuts_the_answer() throws Exception {
    String stream = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"finish_reason\":null,\"delta\":{\"role\":\"assistant\",\"content\":\"Hey\"}}]}"
        + "\n\ndata: {\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[{\"index\":0,"
        + "\"finish_reason\":\"content_filter\",\"content_filter_results\":{\"protected_material_text\":"
        + "{\"detected\":true,\"filtered\":true}}}],\"usage\":null}\n\ndata: [DONE]\n\n";
    azure.openAi().script(request -> Reply.raw(200, "text/event-stream", stream));

    HttpResponse<String> response = gateway.messages(simple("azure/gpt-5", true,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "lyrics please"))));

    assertEquals(200, response.statusCode(), response.body());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("refusal", events.get(events.size() - 2).data().getJsonObject("delta").getString("stop_reason"));
    assertEquals("Hey", Sse.text(events));
  }

  @Test
  void should_name_the_missing_deployment_and_the_setting_that_maps_it() throws Exception {
    HttpResponse<String> response = gateway.messages(simple("azure/gpt-4.1", true,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi"))));

    assertEquals(404, response.statusCode(), response.body());
    String message = new JsonObject(response.body()).getJsonObject("error").getString("message");
    assertTrue(message.contains("deployment 'gpt-4.1' does not exist"), message);
    assertTrue(message.contains("providers.azure.deployments"), message);
    assertEquals("/openai/deployments/gpt-4.1/chat/completions", azure.openAi().requests().get(0).path());
  }

  @Test
  void should_end_the_stream_with_an_error_event_when_azure_breaks_mid_stream() throws Exception {
    azure.openAi().faults(Faults.none().closeAfterEvents(4));

    HttpResponse<String> response = gateway.messages(claudeCode("cc2.1.197-messages-tool-first.request.json",
        "azure/gpt-5"));

    assertEquals(200, response.statusCode());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("message_start", events.get(0).event());
    Sse last = events.get(events.size() - 1);
    assertEquals("error", last.event());
    assertNotNull(last.data().getJsonObject("error").getString("message"));
  }

  @Test
  void should_answer_502_without_showing_any_key_when_azure_refuses_the_key() throws Exception {
    HttpResponse<String> response = gateway.messages(simple("azure-wrong-key/gpt-4o", true,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi"))));

    assertEquals(502, response.statusCode(), response.body());
    assertTrue(response.body().contains("Access denied"), response.body());
    assertFalse(response.body().contains("not-the-key"));
    assertFalse(response.body().contains(KEY));
    assertEquals("not-the-key", azure.openAi().requests().get(0).header("api-key"));
  }

  // ---- Claude in Foundry --------------------------------------------------------------------------------------

  @Test
  void should_stream_a_claude_code_request_from_the_foundry_anthropic_endpoint_patched_not_rewritten()
      throws Exception {
    azure.claude().faults(Faults.none().splitEvery(7));
    String body = claudeCode("cc2.1.332-anthropic_req_with_tool_result.json", "azure/claude-sonnet-4-5");

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode(), response.body());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("message_stop", events.get(events.size() - 1).event());
    assertTrue(Sse.text(events).contains(azure.claude().marker()));
    RecordedRequest call = azure.claude().requests().get(0);
    assertEquals("/anthropic/v1/messages", call.path());
    assertEquals("beta=true", call.query());
    assertEquals(KEY, call.header("api-key"));
    assertNull(call.header("x-api-key"), "the client's key stays at the gateway");
    assertFalse(call.contains(GatewayHarness.CLIENT_KEY));
    assertEquals("claude-code-20250219,interleaved-thinking-2025-05-14", call.header("anthropic-beta"));
    assertEquals("2023-06-01", call.header("anthropic-version"));
    assertEquals(body.replace("\"model\":\"azure/claude-sonnet-4-5\"", "\"model\":\"claude-sonnet-4-5\""),
        call.body().toString(), "every other byte is the client's");
    assertTrue(azure.openAi().requests().isEmpty());
  }

  @Test
  void should_call_the_configured_claude_deployment_and_answer_a_whole_message() throws Exception {
    HttpResponse<String> response = gateway.messages(simple("azure/claude-opus-4-1", false,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi"))));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("team-opus", azure.claude().requests().get(0).json().getString("model"));
    assertEquals("message", new JsonObject(response.body()).getString("type"));
  }

  @Test
  void should_count_tokens_at_the_foundry_endpoint() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens", new JsonObject()
        .put("model", "azure/claude-sonnet-4-5").put("messages", new JsonArray().add(new JsonObject()
            .put("role", "user").put("content", "count me"))).encode(), Map.of(
        "x-api-key", GatewayHarness.CLIENT_KEY, "anthropic-version", "2023-06-01", "content-type", "application/json"));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest call = azure.claude().requests().get(0);
    assertEquals("/anthropic/v1/messages/count_tokens", call.path());
    assertEquals(Math.max(1, call.body().length() / 4), new JsonObject(response.body()).getInteger("input_tokens"));
  }

  @Test
  void should_pass_an_anthropic_overload_on_and_show_azure_front_end_errors_in_anthropic_form() throws Exception {
    azure.claude().script(request -> Reply.error(529, "overloaded_error", "Overloaded"));

    HttpResponse<String> overloaded = gateway.messages(simple("azure/claude-sonnet-4-5", true,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi"))));
    HttpResponse<String> refused = gateway.messages(simple("azure-wrong-key/claude-sonnet-4-5", true,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi"))));

    assertEquals(529, overloaded.statusCode(), overloaded.body());
    assertEquals("overloaded_error", new JsonObject(overloaded.body()).getJsonObject("error").getString("type"));
    assertEquals(502, refused.statusCode(), refused.body());
    JsonObject error = new JsonObject(refused.body());
    assertEquals("error", error.getString("type"), "Anthropic's error shape, not Azure's");
    assertNull(error.getJsonObject("error").getValue("code"));
    assertTrue(error.getJsonObject("error").getString("message").contains("401"), refused.body());
    assertFalse(refused.body().contains("not-the-key"));
  }

  @Test
  void should_show_429_from_foundry_as_a_rate_limit_with_retry_after() throws Exception {
    azure.claude().script(request -> Reply.rateLimited(5));

    HttpResponse<String> response = gateway.messages(simple("azure/claude-sonnet-4-5", true,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi"))));

    assertEquals(429, response.statusCode(), response.body());
    assertEquals("rate_limit_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
    assertEquals("5", response.headers().firstValue("retry-after").orElse(""));
  }

  @Test
  void should_answer_404_when_the_resource_has_no_such_claude_deployment() throws Exception {
    HttpResponse<String> response = gateway.messages(simple("azure/claude-haiku-4-5", true,
        new JsonArray().add(new JsonObject().put("type", "text").put("text", "hi"))));

    assertEquals(404, response.statusCode(), response.body());
    assertTrue(response.body().contains("DeploymentNotFound"), response.body());
    assertEquals(1, azure.claude().requests().size(), "Claude models go to Foundry only");
    assertTrue(azure.openAi().requests().isEmpty());
  }
}
