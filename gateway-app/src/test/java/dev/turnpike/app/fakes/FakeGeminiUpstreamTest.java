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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fake Gemini API refuses what Gemini refuses: a translation that only looks right must fail against it. Each
 * case sends one mistake straight to the fake.
 */
class FakeGeminiUpstreamTest {
  private static final String KEY = "AIzaSyFakeKeyForTheFakeUpstream000";
  private static Vertx vertx;
  private static FakeGeminiUpstream gemini;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    gemini = new FakeGeminiUpstream(vertx).apiKey(KEY).start().await();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
  }

  private static HttpResponse<String> post(String model, String method, JsonObject body, String key)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gemini.baseUrl() + "/v1beta/models/" + model
        + ":" + method)).POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("content-type", "application/json");
    if (key != null) {
      request.header("x-goog-api-key", key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String refusal(JsonObject body) throws Exception {
    return refusal("gemini-2.5-pro", body);
  }

  private static String refusal(String model, JsonObject body) throws Exception {
    HttpResponse<String> response = post(model, "generateContent", body, KEY);
    assertEquals(400, response.statusCode(), response.body());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("INVALID_ARGUMENT", error.getString("status"));
    return error.getString("message");
  }

  private static JsonObject user(String text) {
    return new JsonObject().put("role", "user").put("parts", new JsonArray().add(new JsonObject().put("text", text)));
  }

  private static JsonObject call(String name, String signature) {
    JsonObject part = new JsonObject().put("functionCall", new JsonObject().put("name", name)
        .put("args", new JsonObject()));
    return signature == null ? part : part.put("thoughtSignature", signature);
  }

  private static JsonObject response(String name) {
    return new JsonObject().put("functionResponse", new JsonObject().put("name", name)
        .put("response", new JsonObject().put("output", "ok")));
  }

  private static JsonObject request(JsonObject... contents) {
    JsonArray list = new JsonArray();
    List.of(contents).forEach(list::add);
    return new JsonObject().put("contents", list);
  }

  private static JsonObject content(String role, JsonObject... parts) {
    JsonArray list = new JsonArray();
    List.of(parts).forEach(list::add);
    return new JsonObject().put("role", role).put("parts", list);
  }

  @Test
  void acceptsAPlainRequest() throws Exception {
    HttpResponse<String> response = post("gemini-2.5-pro", "generateContent", request(user("hi")), KEY);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("STOP", new JsonObject(response.body()).getJsonArray("candidates").getJsonObject(0)
        .getString("finishReason"));
  }

  @Test
  void refusesAMissingOrWrongKeyAsGoogleDoes() throws Exception {
    HttpResponse<String> none = post("gemini-2.5-pro", "generateContent", request(user("hi")), null);
    assertEquals(403, none.statusCode());
    assertEquals("PERMISSION_DENIED", new JsonObject(none.body()).getJsonObject("error").getString("status"));
    HttpResponse<String> wrong = post("gemini-2.5-pro", "generateContent", request(user("hi")), "AIzaSyNope");
    assertEquals(400, wrong.statusCode());
    assertTrue(wrong.body().contains("API_KEY_INVALID"), wrong.body());
  }

  @Test
  void refusesJsonSchemaKeywordsOutsideGeminisSchema() throws Exception {
    JsonObject body = request(user("hi")).put("tools", new JsonArray().add(new JsonObject()
        .put("functionDeclarations", new JsonArray().add(new JsonObject().put("name", "Read")
            .put("parameters", new JsonObject().put("type", "object").put("additionalProperties", false)
                .put("properties", new JsonObject().put("p", new JsonObject().put("type", "string"))))))));
    assertTrue(refusal(body).startsWith("Invalid JSON payload received. Unknown name \"additionalProperties\""));
  }

  @Test
  void refusesSchemasGeminiCannotUse() throws Exception {
    JsonObject noItems = new JsonObject().put("type", "OBJECT").put("properties", new JsonObject()
        .put("tags", new JsonObject().put("type", "ARRAY")));
    JsonObject empty = new JsonObject().put("type", "OBJECT").put("properties", new JsonObject());
    JsonObject typeList = new JsonObject().put("type", "OBJECT").put("properties", new JsonObject()
        .put("n", new JsonObject().put("type", new JsonArray().add("string").add("null"))));
    assertTrue(refusal(tool("T", noItems)).contains("items: missing field"));
    assertTrue(refusal(tool("T", empty)).contains("should be non-empty for OBJECT type"));
    assertTrue(refusal(tool("T", typeList)).contains("TYPE_STRING"));
    assertTrue(refusal(tool("1password", null)).contains("Invalid function name"));
  }

  private static JsonObject tool(String name, JsonObject parameters) {
    JsonObject declaration = new JsonObject().put("name", name);
    if (parameters != null) {
      declaration.put("parameters", parameters);
    }
    return request(user("hi")).put("tools", new JsonArray().add(new JsonObject()
        .put("functionDeclarations", new JsonArray().add(declaration))));
  }

  @Test
  void refusesRolesAndPartsGeminiDoesNotKnow() throws Exception {
    assertEquals("Please use a valid role: user, model.", refusal(request(content("assistant",
        new JsonObject().put("text", "hi")))));
    assertTrue(refusal(request(content("user"))).contains("contents.parts must not be empty"));
    assertTrue(refusal(request(content("user", new JsonObject().put("text", ""))))
        .contains("required oneof field 'data'"));
  }

  @Test
  void refusesCallTurnsThatAreNotAnsweredByExactlyTheirResponses() throws Exception {
    String count = "Please ensure that the number of function response parts is equal to the number of function "
        + "call parts of the function call turn.";
    assertEquals(count, refusal(request(user("go"), content("model", call("A", null), call("B", null)),
        content("user", response("A")))));
    assertEquals(count, refusal(request(user("go"), content("model", call("A", null)),
        content("user", response("A"), new JsonObject().put("text", "beside it")))));
    assertEquals(count, refusal(request(user("go"), content("model", call("A", null)), user("no answer"))));
    assertTrue(refusal(request(user("go"), content("model", call("A", null), call("B", null)),
        content("user", response("B"), response("A")))).contains("does not match the function call name"));
    assertTrue(refusal(request(content("model", call("A", null)), content("user", response("A"))))
        .startsWith("Please ensure that function call turn comes immediately after a user turn"));
  }

  @Test
  void refusesGemini3CallsOfTheCurrentTurnWithoutTheSignatureItIssued() throws Exception {
    JsonObject unsigned = request(user("go"), content("model", call("A", null)), content("user", response("A")));
    assertTrue(refusal("gemini-3-pro-preview", unsigned).startsWith("Function call is missing a thought_signature"));
    assertEquals("Corrupted thought signature.", refusal("gemini-3-pro-preview", request(user("go"),
        content("model", call("A", "bm90IGlzc3VlZA==")), content("user", response("A")))));
    HttpResponse<String> skipped = post("gemini-3-pro-preview", "generateContent", request(user("go"),
        content("model", call("A", GeminiRequestRules.SKIP_SIGNATURE)), content("user", response("A"))), KEY);
    assertEquals(200, skipped.statusCode(), skipped.body());
    HttpResponse<String> older = post("gemini-2.5-pro", "generateContent", unsigned, KEY);
    assertEquals(200, older.statusCode(), "Gemini 2.5 does not enforce signatures: " + older.body());
    HttpResponse<String> pastTurn = post("gemini-3-pro-preview", "generateContent", request(user("go"),
        content("model", call("A", null)), content("user", response("A")), content("model",
            new JsonObject().put("text", "done")), user("next question")), KEY);
    assertEquals(200, pastTurn.statusCode(), "only the current turn is checked: " + pastTurn.body());
  }

  @Test
  void refusesGenerationLimitsGeminiRefuses() throws Exception {
    assertTrue(refusal(request(user("hi")).put("generationConfig", new JsonObject().put("maxOutputTokens", 128000)))
        .contains("supported range is from 1 (inclusive) to 65537 (exclusive)"));
    JsonArray six = new JsonArray().add("a").add("b").add("c").add("d").add("e").add("f");
    assertTrue(refusal(request(user("hi")).put("generationConfig", new JsonObject().put("stopSequences", six)))
        .contains("at most 5"));
  }

  @Test
  void countsTokensOnlyForAWellFormedWrappedRequest() throws Exception {
    JsonObject wrapped = new JsonObject().put("generateContentRequest", request(user("count me"))
        .put("model", "models/gemini-2.5-pro"));
    HttpResponse<String> counted = post("gemini-2.5-pro", "countTokens", wrapped, KEY);
    assertEquals(200, counted.statusCode(), counted.body());
    assertTrue(new JsonObject(counted.body()).getInteger("totalTokens") > 0);
    HttpResponse<String> wrongModel = post("gemini-2.5-pro", "countTokens", new JsonObject()
        .put("generateContentRequest", request(user("x")).put("model", "gemini-2.5-pro")), KEY);
    assertEquals(400, wrongModel.statusCode());
  }
}
