package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A routing rule sees which call the client made ({@code request_type}, Bifrost's names), though every surface's
 * request reaches the router as the same canonical Anthropic body.
 */
class RequestTypeRulesTest {
  private static Vertx fakes;
  private static FakeAnthropicUpstream usual;
  private static FakeAnthropicUpstream bedrockCalls;
  private static FakeAnthropicUpstream chatCalls;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    usual = new FakeAnthropicUpstream(fakes).start().await();
    bedrockCalls = new FakeAnthropicUpstream(fakes).start().await();
    chatCalls = new FakeAnthropicUpstream(fakes).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", usual.baseUrl(), "k"))
            .put("for-bedrock", GatewayHarness.provider("anthropic", bedrockCalls.baseUrl(), "k"))
            .put("for-chat", GatewayHarness.provider("anthropic", chatCalls.baseUrl(), "k")))
        .put("routing_rules", new JsonArray()
            .add(rule("Bedrock mode", "request_type == 'bedrock_invoke'", "for-bedrock"))
            .add(rule("OpenAI clients", "request_type == 'chat_completions'", "for-chat"))));
  }

  private static JsonObject rule(String name, String expression, String provider) {
    return new JsonObject().put("name", name).put("cel_expression", expression)
        .put("targets", new JsonArray().add(new JsonObject().put("provider", provider).put("model", "claude-x")));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    usual.clearRequests();
    bedrockCalls.clearRequests();
    chatCalls.clearRequests();
  }

  @Test
  void should_route_by_the_call_the_client_made() throws Exception {
    String messages = new JsonObject().put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

    HttpResponse<String> bedrock = gateway.post("/bedrock/model/anthropic.claude-x/invoke",
        new JsonObject(messages).put("anthropic_version", "bedrock-2023-05-31").encode(),
        Map.of("content-type", "application/json"));
    HttpResponse<String> chat = gateway.post("/v1/chat/completions", new JsonObject().put("model", "anthropic/claude-x")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode(),
        Map.of("content-type", "application/json"));
    HttpResponse<String> anthropic = gateway.messages(new JsonObject(messages).put("model", "anthropic/claude-x")
        .encode());

    assertEquals(200, bedrock.statusCode(), bedrock.body());
    assertEquals(200, chat.statusCode(), chat.body());
    assertEquals(200, anthropic.statusCode(), anthropic.body());
    assertEquals(1, bedrockCalls.requests().size(), "the Bedrock invoke went where its rule says");
    assertEquals(1, chatCalls.requests().size(), "the chat completion went where its rule says");
    assertEquals(1, usual.requests().size(), "an Anthropic messages call matched neither rule");
    assertTrue(usual.requests().get(0).path().endsWith("/v1/messages"));
  }
}
