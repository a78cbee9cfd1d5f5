package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeOpenAiUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A model configured without tool calls never gets a Claude Code request, which always carries tools. */
class CapabilitiesTest {
  private static Vertx fakes;
  private static FakeOpenAiUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    upstream = new FakeOpenAiUpstream(fakes).start().await();
    gateway = GatewayHarness.start(new JsonObject().put("providers", new JsonObject()
        .put("local", GatewayHarness.provider("openai", upstream.baseUrl(), "sk-local")
            .put("capabilities", new JsonObject().put("models", new JsonObject()
                .put("tiny", new JsonObject().put("tools", false)))))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @Test
  void should_refuse_a_claude_code_request_for_a_model_without_tool_calls_and_serve_one_with_them()
      throws Exception {
    String body = ClaudeCodeCaptures.body("cc2.1.332-anthropic_req_with_tool_result.json", "local/tiny");

    HttpResponse<String> refused = gateway.messages(body);

    assertEquals(400, refused.statusCode(), refused.body());
    JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertTrue(error.getString("message").contains("cannot take tool calls"), refused.body());
    assertTrue(upstream.requests().isEmpty(), "nothing reached the upstream");

    HttpResponse<String> served = gateway.messages(new JsonObject().put("model", "local/tiny").put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode());
    assertEquals(200, served.statusCode(), "without tools the same model serves: " + served.body());
  }
}
