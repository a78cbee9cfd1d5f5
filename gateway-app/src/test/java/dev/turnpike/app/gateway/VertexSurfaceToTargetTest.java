package dev.turnpike.app.gateway;

import static dev.turnpike.app.gateway.BedrockSurfaceTest.send;
import static dev.turnpike.app.gateway.BedrockSurfaceTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeVertexUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.TestServiceAccount;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Claude Code's Vertex mode against a gateway that holds the Google service account, to Vertex itself (the fake,
 * which only takes tokens its token endpoint minted for that account): the client's own token never travels on.
 */
class VertexSurfaceToTargetTest {
  private static final String PROJECT = "turnpike-test";
  private static final String REGION = "us-east5";
  private static final String EMAIL = "gateway@turnpike-test.iam.gserviceaccount.com";
  private static final String MODEL = "claude-sonnet-4-5@20250929";
  private static final Map<String, String> CLIENT_GOOGLE = Map.of(
      "authorization", "Bearer ya29.client-token-must-not-travel",
      "x-goog-user-project", "developers-own-project",
      "anthropic-version", "2023-06-01",
      "content-type", "application/json");
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
            .put("google", new JsonObject().put("credentials_json", account.encode())
                .put("token_url", vertex.tokenUrl())))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @Test
  void should_stream_claude_codes_vertex_call_with_the_gateways_own_token() throws Exception {
    String body = ClaudeCodeCaptures.file("cc2.1.332-vertex_req_with_tool_result.json").getJsonObject("body")
        .encode();

    // Claude Code's project and region shape the path; the gateway's config says where the call goes.
    HttpResponse<byte[]> response = send(gateway, "POST", "/genai/v1/projects/developers-own-project/locations/"
        + "europe-west1/publishers/anthropic/models/" + MODEL + ":streamRawPredict", body, CLIENT_GOOGLE);

    assertEquals(200, response.statusCode(), () -> text(response));
    List<Sse> events = Sse.parse(text(response));
    assertEquals("message_stop", events.get(events.size() - 1).event());
    assertTrue(Sse.text(events).startsWith(vertex.marker()), Sse.text(events));
    RecordedRequest received = vertex.requests().stream().filter(r -> !r.path().equals("/token")).findFirst()
        .orElseThrow();
    assertTrue(received.path().contains("/projects/" + PROJECT + "/locations/" + REGION + "/"), received::toString);
    assertTrue(java.net.URLDecoder.decode(received.path(), java.nio.charset.StandardCharsets.UTF_8)
        .endsWith("/models/" + MODEL + ":streamRawPredict"), received::toString);
    assertEquals("vertex-2023-10-16", received.json().getString("anthropic_version"));
    assertFalse(received.contains("client-token-must-not-travel"), "the client's Google token travelled");
    assertFalse(received.contains("developers-own-project"), "the client's project travelled");
  }
}
