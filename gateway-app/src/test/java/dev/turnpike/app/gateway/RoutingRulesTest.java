package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeOpenAiUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.contract.ExchangeRecord;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Aliases, routing rules and key allow-lists over real HTTP, as Claude Code meets them. */
class RoutingRulesTest {
  private static Vertx fakes;
  private static FakeAnthropicUpstream anthropic;
  private static FakeOpenAiUpstream groq;
  private static GatewayHarness gateway;
  private static Records records;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    anthropic = new FakeAnthropicUpstream(fakes).start().await();
    groq = new FakeOpenAiUpstream(fakes).start().await();
    JsonObject groqProvider = new JsonObject().put("dialect", "openai").put("base_url", groq.baseUrl())
        .put("keys", new JsonArray()
            .add(new JsonObject().put("value", "gsk-small-only").put("models", new JsonArray().add("llama-small")))
            .add(new JsonObject().put("value", "gsk-general").put("weight", 0.0001)));
    gateway = GatewayHarness.start(new JsonObject()
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", anthropic.baseUrl(), "sk-a"))
            .put("groq", groqProvider))
        .put("aliases", new JsonObject().put("claude-haiku-4-5", "groq/llama-small"))
        .put("routing_rules", new JsonArray()
            .add(new JsonObject().put("name", "cheap tier").put("cel_expression", "headers['x-tier'] == 'cheap'")
                .put("targets", new JsonArray().add(new JsonObject().put("provider", "groq")
                    .put("model", "llama-3.3-70b-versatile"))))));
    records = Records.of(gateway.node().vertx());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @BeforeEach
  void reset() {
    anthropic.clearRequests();
    groq.clearRequests();
  }

  private static String body(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 16).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  @Test
  void should_route_by_header_and_say_so_in_the_response_and_the_record() throws Exception {
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages", body("claude-sonnet-4-5"),
        Map.of("x-api-key", "k", "x-tier", "cheap"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("rule=cheap tier; target=groq/llama-3.3-70b-versatile; attempt=1",
        response.headers().firstValue("x-turnpike-route").orElse(""));
    assertEquals("llama-3.3-70b-versatile", groq.requests().get(0).json().getString("model"));
    assertTrue(anthropic.requests().isEmpty());
    ExchangeRecord record = records.of(response.headers().firstValue("x-turnpike-request-id").orElseThrow());
    assertEquals("cheap tier", record.matchedRule());
  }

  @Test
  void should_keep_the_requested_model_and_say_default_when_no_rule_matches() throws Exception {
    HttpResponse<String> response = gateway.messages(body("claude-sonnet-4-5"));

    assertEquals("default; target=anthropic/claude-sonnet-4-5; attempt=1",
        response.headers().firstValue("x-turnpike-route").orElse(""));
  }

  @Test
  void should_send_an_aliased_name_with_the_key_allowed_for_that_model() throws Exception {
    HttpResponse<String> response = gateway.messages(body("claude-haiku-4-5"));

    assertEquals(200, response.statusCode(), response.body());
    RecordedRequest received = groq.requests().get(0);
    assertEquals("llama-small", received.json().getString("model"));
    assertEquals("Bearer gsk-small-only", received.header("authorization"));
    gateway.post("/anthropic/v1/messages", body("claude-x"), Map.of("x-api-key", "k", "x-tier", "cheap"));
    assertEquals("Bearer gsk-general", groq.requests().get(1).header("authorization"),
        "a key limited to other models is never used");
  }

  @Test
  void should_answer_404_listing_the_providers_for_an_unknown_prefix() throws Exception {
    HttpResponse<String> response = gateway.messages(body("nosuch/x"));

    assertEquals(404, response.statusCode());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals("not_found_error", error.getString("type"));
    assertTrue(error.getString("message").contains("[anthropic, groq]"), error.getString("message"));
    assertTrue(anthropic.requests().isEmpty() && groq.requests().isEmpty());
  }
}
