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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fake Cohere API refuses what Cohere refuses and streams Cohere's wire format, over real HTTP. */
class FakeCohereUpstreamTest {
  private static final String KEY = "co-test-key";
  private static Vertx vertx;
  private static FakeCohereUpstream cohere;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    cohere = new FakeCohereUpstream(vertx).requireKey(KEY).start().await();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
  }

  @BeforeEach
  void reset() {
    cohere.faults(Faults.none()).claudeCodeScript();
  }

  /** A valid request with a tool round trip: assistant tool call, its tool message, then the user again. */
  private static JsonObject valid() {
    JsonObject function = new JsonObject().put("name", "Bash").put("parameters", new JsonObject().put("type", "object"));
    return new JsonObject().put("model", "command-a-03-2025").put("max_tokens", 100)
        .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function", function)))
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "be brief"))
            .add(new JsonObject().put("role", "user").put("content", "run ls"))
            .add(new JsonObject().put("role", "assistant").put("tool_plan", "I will run ls.")
                .put("tool_calls", new JsonArray().add(new JsonObject().put("id", "Bash_1").put("type", "function")
                    .put("function", new JsonObject().put("name", "Bash").put("arguments", "{\"command\":\"ls\"}")))))
            .add(new JsonObject().put("role", "tool").put("tool_call_id", "Bash_1")
                .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "a.txt"))))
            .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "and this?"))
                .add(new JsonObject().put("type", "image_url").put("image_url",
                    new JsonObject().put("url", "data:image/png;base64,iVBORw0KGgo="))))));
  }

  private HttpResponse<String> post(JsonObject body, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cohere.baseUrl() + "/v2/chat"))
        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (authorization != null) {
      request.header("authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void should_accept_a_request_that_follows_the_api_definition() throws Exception {
    HttpResponse<String> response = post(valid(), "Bearer " + KEY);

    assertEquals(200, response.statusCode(), response.body());
    JsonObject answer = new JsonObject(response.body());
    assertEquals("COMPLETE", answer.getString("finish_reason"));
    assertTrue(answer.getJsonObject("usage").getJsonObject("tokens").getInteger("input_tokens") > 0);
  }

  @Test
  void should_refuse_a_missing_or_wrong_key_with_cohere_error_json() throws Exception {
    HttpResponse<String> none = post(valid(), null);
    HttpResponse<String> wrong = post(valid(), "Bearer not-the-key");

    assertEquals(401, none.statusCode());
    assertEquals(401, wrong.statusCode());
    assertEquals("invalid api token", new JsonObject(wrong.body()).getString("message"));
    assertTrue(new JsonObject(wrong.body()).containsKey("id"));
  }

  /** One way to break {@link #valid()} and the words of Cohere's refusal. */
  private record Violation(UnaryOperator<JsonObject> breaks, String refusal) {}

  @ParameterizedTest
  @ValueSource(strings = {"unknown-top-level", "anthropic-system-field", "wrong-role", "unanswered-call",
      "tool-without-call", "tool-name-with-dash", "six-stop-sequences", "p-out-of-range", "anthropic-image-block",
      "tool-choice-auto", "assistant-without-content", "arguments-not-json", "tool-message-with-error-flag",
      "anthropic-tool-shape", "empty-user-text"})
  void should_refuse_what_cohere_refuses(String name) throws Exception {
    Violation violation = violations().get(name);

    HttpResponse<String> response = post(violation.breaks().apply(valid()), "Bearer " + KEY);

    assertEquals(400, response.statusCode(), name + ": " + response.body());
    String message = new JsonObject(response.body()).getString("message");
    assertTrue(message.startsWith("invalid request: ") && message.contains(violation.refusal()), message);
  }

  private static Map<String, Violation> violations() {
    return Map.ofEntries(
        Map.entry("unknown-top-level", new Violation(b -> b.put("metadata", new JsonObject().put("user_id", "u")),
            "unknown field 'metadata'")),
        Map.entry("anthropic-system-field", new Violation(b -> b.put("system", "be brief"), "unknown field 'system'")),
        Map.entry("wrong-role", new Violation(b -> {
          message(b, 1).put("role", "human");
          return b;
        }, "role must be one of")),
        Map.entry("unanswered-call", new Violation(b -> {
          b.getJsonArray("messages").remove(3);
          return b;
        }, "have no tool message answering them")),
        Map.entry("tool-without-call", new Violation(b -> {
          message(b, 2).remove("tool_calls");
          message(b, 2).put("content", "I ran it.");
          return b;
        }, "does not answer a tool call")),
        Map.entry("tool-name-with-dash", new Violation(b -> {
          b.getJsonArray("tools").getJsonObject(0).getJsonObject("function").put("name", "my-tool");
          return b;
        }, "invalid tool name 'my-tool'")),
        Map.entry("six-stop-sequences", new Violation(b -> b.put("stop_sequences",
            new JsonArray(List.of("a", "b", "c", "d", "e", "f"))), "at most 5")),
        Map.entry("p-out-of-range", new Violation(b -> b.put("p", 1.0), "p must be a number between")),
        Map.entry("anthropic-image-block", new Violation(b -> {
          message(b, 4).getJsonArray("content").set(1, new JsonObject().put("type", "image").put("source",
              new JsonObject().put("type", "base64").put("media_type", "image/png").put("data", "iVBORw0KGgo=")));
          return b;
        }, "part type must be text or image_url")),
        Map.entry("tool-choice-auto", new Violation(b -> b.put("tool_choice", "auto"), "tool_choice must be one of")),
        Map.entry("assistant-without-content", new Violation(b -> {
          b.getJsonArray("messages").add(new JsonObject().put("role", "assistant"));
          return b;
        }, "needs content or tool_calls")),
        Map.entry("arguments-not-json", new Violation(b -> {
          message(b, 2).getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function")
              .put("arguments", "ls -la");
          return b;
        }, "must be a JSON object string")),
        Map.entry("tool-message-with-error-flag", new Violation(b -> {
          message(b, 3).put("is_error", true);
          return b;
        }, "unknown field 'is_error'")),
        Map.entry("anthropic-tool-shape", new Violation(b -> b.put("tools", new JsonArray().add(new JsonObject()
            .put("name", "Bash").put("input_schema", new JsonObject().put("type", "object")))),
            "each tool must be")),
        Map.entry("empty-user-text", new Violation(b -> {
          message(b, 1).put("content", "");
          return b;
        }, "content must not be empty")));
  }

  private static JsonObject message(JsonObject body, int index) {
    return body.getJsonArray("messages").getJsonObject(index);
  }

  @Test
  void should_stream_cohere_events_that_reassemble_at_awkward_byte_boundaries() throws Exception {
    cohere.faults(Faults.none().splitEvery(3));
    JsonObject body = valid().put("stream", true);
    body.getJsonArray("messages").remove(4);
    body.getJsonArray("messages").remove(3);
    body.getJsonArray("messages").remove(2);

    HttpResponse<String> response = post(body, "Bearer " + KEY);

    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<String> types = new ArrayList<>();
    StringBuilder arguments = new StringBuilder();
    for (String frame : response.body().split("\n\n")) {
      String[] lines = frame.split("\n");
      if (lines[0].equals("data: [DONE]")) {
        types.add("[DONE]");
        continue;
      }
      JsonObject data = new JsonObject(lines[1].substring("data: ".length()));
      assertEquals(lines[0].substring("event: ".length()), data.getString("type"), "event names its type");
      types.add(data.getString("type"));
      if ("tool-call-delta".equals(data.getString("type"))) {
        arguments.append(data.getJsonObject("delta").getJsonObject("message").getJsonObject("tool_calls")
            .getJsonObject("function").getString("arguments"));
      }
    }
    assertEquals("message-start", types.get(0));
    assertEquals(List.of("tool-call-end", "message-end", "[DONE]"), types.subList(types.size() - 3, types.size()));
    assertTrue(types.contains("tool-call-start"));
    assertTrue(new JsonObject(arguments.toString()).getString("command").startsWith("echo turnpike > "));
  }
}
