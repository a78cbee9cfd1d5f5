package dev.turnpike.app.fakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake Foundry resource refuses what the real APIs refuse, so a translation that only looks right fails. */
class FakeAzureResourceTest {
  private static final String KEY = "resource-key";
  private static final String CHAT = "/openai/deployments/gpt5-prod/chat/completions?api-version=2024-10-21";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Vertx vertx;
  private static FakeAzureResource azure;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    azure = new FakeAzureResource(vertx, KEY, Map.of("gpt5-prod", "gpt-5"), Set.of("claude-sonnet-4-5")).start()
        .await();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
  }

  private static HttpResponse<String> post(String path, Map<String, String> headers, JsonObject body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(azure.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).header("content-type", "application/json");
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject chat(JsonArray messages) {
    return new JsonObject().put("messages", messages).put("max_completion_tokens", 10);
  }

  private static JsonArray userSays(String text) {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", text));
  }

  private static String refusal(HttpResponse<String> response) {
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    return error.getString("message");
  }

  @Test
  void should_answer_a_valid_chat_completion_in_azure_form() throws Exception {
    HttpResponse<String> response = post(CHAT, Map.of("api-key", KEY), chat(userSays("hi")).put("model", "x"));

    assertEquals(200, response.statusCode(), response.body());
    JsonObject completion = new JsonObject(response.body());
    assertEquals("gpt-5", completion.getString("model"));
    assertTrue(completion.containsKey("prompt_filter_results"));
  }

  @Test
  void should_refuse_what_api_version_2024_10_21_refuses() throws Exception {
    JsonObject unpaired = chat(new JsonArray().add(new JsonObject().put("role", "user").put("content", "go"))
        .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "call_1").put("type", "function").put("function",
                new JsonObject().put("name", "Bash").put("arguments", "{}")))))
        .add(new JsonObject().put("role", "user").put("content", "and?")));
    JsonObject orphan = chat(userSays("go").add(new JsonObject().put("role", "tool").put("tool_call_id", "call_9")
        .put("content", "done")));
    JsonObject file = chat(new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "file").put("file", new JsonObject().put("filename", "a.pdf"))))));

    assertEquals("Unrecognized request argument supplied: reasoning_effort",
        refusal(post(CHAT, Map.of("api-key", KEY), chat(userSays("hi")).put("reasoning_effort", "low"))));
    assertTrue(refusal(post(CHAT, Map.of("api-key", KEY), unpaired))
        .contains("did not have response messages: call_1"));
    assertTrue(refusal(post(CHAT, Map.of("api-key", KEY), orphan)).contains("must be a response to a preceeding"));
    assertTrue(refusal(post(CHAT, Map.of("api-key", KEY), file)).contains("Invalid value: 'file'"));
    assertTrue(refusal(post(CHAT, Map.of("api-key", KEY), chat(new JsonArray().add(new JsonObject()
        .put("role", "developer").put("content", "x"))))).contains("'developer' is not one of"));
    assertTrue(refusal(post(CHAT, Map.of("api-key", KEY), chat(userSays("hi")).put("stream_options",
        new JsonObject().put("include_usage", true)))).contains("only allowed when 'stream' is enabled"));
  }

  @Test
  void should_refuse_a_missing_key_version_or_deployment_as_azure_front_end_does() throws Exception {
    HttpResponse<String> noKey = post(CHAT, Map.of("authorization", "Bearer " + KEY), chat(userSays("hi")));
    HttpResponse<String> noVersion = post("/openai/deployments/gpt5-prod/chat/completions", Map.of("api-key", KEY),
        chat(userSays("hi")));
    HttpResponse<String> noDeployment = post(CHAT.replace("gpt5-prod", "gpt-6"), Map.of("api-key", KEY),
        chat(userSays("hi")));

    assertEquals(401, noKey.statusCode());
    assertEquals("401", new JsonObject(noKey.body()).getJsonObject("error").getString("code"));
    assertEquals(404, noVersion.statusCode());
    assertEquals("DeploymentNotFound", new JsonObject(noDeployment.body()).getJsonObject("error").getString("code"));
  }

  @Test
  void should_refuse_what_the_messages_api_refuses_at_the_foundry_endpoint() throws Exception {
    Map<String, String> headers = Map.of("api-key", KEY, "anthropic-version", "2023-06-01");
    JsonObject message = new JsonObject().put("model", "claude-sonnet-4-5").put("max_tokens", 10);
    JsonObject orphanResult = message.copy().put("messages", new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("type", "tool_result")
            .put("tool_use_id", "toolu_1").put("content", "x")))));
    JsonObject unanswered = message.copy().put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "go"))
        .add(new JsonObject().put("role", "assistant").put("content", new JsonArray().add(new JsonObject()
            .put("type", "tool_use").put("id", "toolu_2").put("name", "Bash").put("input", new JsonObject()))))
        .add(new JsonObject().put("role", "user").put("content", "and?")));

    HttpResponse<String> ok = post("/anthropic/v1/messages", Map.of("x-api-key", KEY, "anthropic-version",
        "2023-06-01"), message.copy().put("messages", userSays("hi")));
    HttpResponse<String> noVersion = post("/anthropic/v1/messages", Map.of("api-key", KEY),
        message.copy().put("messages", userSays("hi")));
    HttpResponse<String> otherDeployment = post("/anthropic/v1/messages", headers,
        message.copy().put("model", "azure/claude-sonnet-4-5").put("messages", userSays("hi")));

    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(400, noVersion.statusCode());
    assertEquals(404, otherDeployment.statusCode());
    assertTrue(refusal(post("/anthropic/v1/messages", headers, orphanResult)).contains("unexpected `tool_use_id`"));
    assertTrue(refusal(post("/anthropic/v1/messages", headers, unanswered)).contains("without `tool_result`"));
    assertEquals(401, post("/anthropic/v1/messages", Map.of("anthropic-version", "2023-06-01"),
        message.copy().put("messages", userSays("hi"))).statusCode());
  }
}
