package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeVertexUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.TestServiceAccount;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dialect {@code vertex}: an Anthropic request served by a fake Vertex AI that only accepts access tokens its
 * fake token endpoint minted for a JWT signed by the configured service account's key.
 */
// The tests that revoke the fake's tokens run last: a token revoked under one event loop's cache stays cached on
// the other loop until a request there meets the 401, which would fail an unrelated test that came after.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VertexTargetTest {
  private static final String PROJECT = "turnpike-test";
  private static final String REGION = "us-east5";
  private static final String EMAIL = "gateway@turnpike-test.iam.gserviceaccount.com";
  private static final String MODEL = "claude-sonnet-4-5@20250929";
  private static Vertx fakes;
  private static FakeVertexUpstream vertex;
  private static GatewayHarness gateway;
  private static String privateKeyPem;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    TestServiceAccount serviceAccount = TestServiceAccount.generate(EMAIL, PROJECT);
    fakes = Vertx.vertx();
    vertex = new FakeVertexUpstream(fakes, serviceAccount.publicKey(), EMAIL, PROJECT, REGION).start().await();
    JsonObject account = serviceAccount.keyFile(vertex.tokenUrl());
    privateKeyPem = account.getString("private_key");
    Path accountFile = dir.resolve("service-account.json");
    Files.writeString(accountFile, account.encode());
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject()
            .put("vertex", new JsonObject().put("dialect", "vertex").put("base_url", vertex.baseUrl())
                .put("project", PROJECT).put("region", REGION)
                .put("google", new JsonObject().put("credentials_file", accountFile.toString())))
            .put("vertex-inline", new JsonObject().put("dialect", "vertex").put("base_url", vertex.baseUrl())
                .put("project", PROJECT).put("region", REGION)
                .put("google", new JsonObject().put("credentials_json", account.encode())
                    .put("token_url", vertex.tokenUrl())))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    vertex.clearRequests();
    vertex.claudeCodeScript();
    vertex.tokenFailure(0);
  }

  private static String body(String model, boolean stream) {
    return new JsonObject().put("model", model).put("max_tokens", 100).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  private static List<RecordedRequest> modelCalls() {
    return vertex.requests().stream().filter(r -> !r.path().equals("/token")).toList();
  }

  @Test
  void should_stream_a_claude_code_request_through_stream_raw_predict_with_a_minted_token() throws Exception {
    String body = ClaudeCodeCaptures.body("cc2.1.332-anthropic_req_with_tool_result.json", "vertex/" + MODEL);

    HttpResponse<String> response = gateway.messages(body);

    assertEquals(200, response.statusCode(), response.body());
    List<Sse> events = Sse.parse(response.body());
    assertEquals("message_stop", events.get(events.size() - 1).event());
    assertTrue(Sse.text(events).contains(vertex.marker()));
    RecordedRequest call = modelCalls().get(0);
    assertEquals("/v1/projects/" + PROJECT + "/locations/" + REGION + "/publishers/anthropic/models/"
        + "claude-sonnet-4-5%4020250929:streamRawPredict", call.path());
    assertTrue(call.header("authorization").startsWith("Bearer ya29.fake-"));
    assertEquals("claude-code-20250219,interleaved-thinking-2025-05-14", call.header("anthropic-beta"));
    JsonObject sent = call.json();
    assertEquals("vertex-2023-10-16", sent.remove("anthropic_version"));
    JsonObject original = new JsonObject(body);
    original.remove("model");
    assertEquals(original, sent, "every other field is the client's");
    assertFalse(call.contains(GatewayHarness.CLIENT_KEY));
    assertFalse(call.contains(privateKeyPem.substring(40, 80)), "no key material travels");
  }

  @Test
  void should_reuse_the_token_until_it_nears_expiry() throws Exception {
    int before = vertex.tokenRequests(); // other tests' providers minted too: count this test's own

    HttpResponse<String> first = gateway.messages(body("vertex-inline/" + MODEL, false));
    HttpResponse<String> streamed = gateway.messages(body("vertex-inline/" + MODEL, true));
    for (int i = 0; i < 6; i++) {
      assertEquals(200, gateway.messages(body("vertex-inline/" + MODEL, i % 2 == 0)).statusCode());
    }

    assertEquals(200, first.statusCode(), first.body());
    assertEquals(200, streamed.statusCode(), streamed.body());
    // Each event loop keeps its own token: at most one mint per loop (two here) for eight requests.
    int minted = vertex.tokenRequests() - before;
    assertTrue(minted >= 1 && minted <= 2, "tokens minted for 8 requests: " + minted);
    assertTrue(modelCalls().get(0).path().endsWith(":rawPredict"));
    assertEquals("message", new JsonObject(first.body()).getString("type"));
  }

  @Test
  void should_count_tokens_with_the_model_in_the_body() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages/count_tokens", new JsonObject()
        .put("model", "vertex/" + MODEL).put("messages", new JsonArray().add(new JsonObject()
            .put("role", "user").put("content", "count me"))).encode(), Map.of(
        "x-api-key", GatewayHarness.CLIENT_KEY, "anthropic-version", "2023-06-01", "content-type", "application/json"));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest call = modelCalls().get(0);
    assertTrue(call.path().endsWith("/models/count-tokens:rawPredict"), call.path());
    assertEquals(MODEL, call.json().getString("model"));
    assertEquals(Math.max(1, call.body().length() / 4), new JsonObject(response.body()).getInteger("input_tokens"));
  }

  @Test
  @Order(Order.DEFAULT + 2)
  void should_answer_a_clean_502_when_no_token_can_be_minted() throws Exception {
    vertex.revokeTokens();
    vertex.tokenFailure(500);

    // A loop that still held a token first learns it was revoked (a 502 too); then it must mint, and fails.
    HttpResponse<String> response = null;
    for (int i = 0; i < 4; i++) {
      response = gateway.messages(body("vertex/" + MODEL, true));
      assertEquals(502, response.statusCode(), response.body());
      if (response.body().contains("/token")) {
        break;
      }
    }
    JsonObject error = new JsonObject(response.body());
    assertEquals("api_error", error.getJsonObject("error").getString("type"));
    assertTrue(error.getJsonObject("error").getString("message").contains("500"), response.body());
    assertFalse(response.body().contains("PRIVATE KEY"));
    assertFalse(response.body().contains("ya29"));
  }

  @Test
  @Order(Order.DEFAULT + 1)
  void should_show_a_google_401_as_an_anthropic_error_and_mint_a_new_token_for_the_next_request() throws Exception {
    for (int i = 0; i < 4; i++) { // every event loop holds a token
      assertEquals(200, gateway.messages(body("vertex/" + MODEL, false)).statusCode());
    }
    vertex.revokeTokens(); // the tokens the gateway holds are refused from now on
    int minted = vertex.tokenRequests();

    HttpResponse<String> refused = gateway.messages(body("vertex/" + MODEL, false));

    assertEquals(502, refused.statusCode(), refused.body());
    JsonObject error = new JsonObject(refused.body());
    assertEquals("error", error.getString("type"), "Anthropic's error shape, not Google's");
    assertNull(error.getJsonObject("error").getValue("status"));
    assertTrue(error.getJsonObject("error").getString("message").contains("401"), refused.body());
    // Both event loops may hold the revoked token; within two more requests each has minted a new one.
    int status = 0;
    for (int i = 0; i < 3 && status != 200; i++) {
      status = gateway.messages(body("vertex/" + MODEL, false)).statusCode();
    }
    assertEquals(200, status);
    assertTrue(vertex.tokenRequests() > minted, "a new token was minted");
  }
}
