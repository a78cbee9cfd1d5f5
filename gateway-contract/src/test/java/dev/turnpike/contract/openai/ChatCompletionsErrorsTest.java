package dev.turnpike.contract.openai;

import static dev.turnpike.contract.openai.OpenAiFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.FailureCode;
import io.vertx.core.buffer.Buffer;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ChatCompletionsErrorsTest {
  @Test
  void writesOpenAisErrorObjectWithEveryMemberPresent() {
    Buffer json = OpenAiErrors.json(OpenAiErrors.of(FailureCode.UNAUTHENTICATED), "Unknown virtual key", null);
    assertEquals(tree("{\"error\":{\"message\":\"Unknown virtual key\",\"type\":\"invalid_request_error\","
        + "\"param\":null,\"code\":\"invalid_api_key\"}}"), tree(json));
    Buffer withParam = OpenAiErrors.json(OpenAiErrors.of(FailureCode.INVALID_REQUEST), "n: only 1", "n");
    assertEquals("n", tree(withParam).at("/error/param").asText());
  }

  @Test
  void theStatusesAreThoseOpenAiGivesTheSameCondition() {
    assertEquals(new OpenAiErrors.Shape(429, "requests", "rate_limit_exceeded"),
        OpenAiErrors.of(FailureCode.RATE_LIMITED));
    assertEquals(OpenAiErrors.of(FailureCode.RATE_LIMITED), OpenAiErrors.of(FailureCode.UPSTREAM_RATE_LIMITED));
    assertEquals(new OpenAiErrors.Shape(429, "insufficient_quota", "insufficient_quota"),
        OpenAiErrors.of(FailureCode.BUDGET_EXHAUSTED));
    assertEquals(400, OpenAiErrors.of(FailureCode.UPSTREAM_INVALID_REQUEST).status());
    assertEquals(503, OpenAiErrors.of(FailureCode.OVERLOADED).status(), "529 is Anthropic's, not OpenAI's");
    assertEquals(503, OpenAiErrors.of(FailureCode.UPSTREAM_OVERLOADED).status());
    assertEquals("model_not_found", OpenAiErrors.of(FailureCode.NOT_FOUND).code());
    for (FailureCode code : EnumSet.range(FailureCode.INTERNAL, FailureCode.STREAM_ENDED_EARLY)) {
      OpenAiErrors.Shape shape = OpenAiErrors.of(code);
      if (shape.status() >= 500) {
        assertTrue(shape.type().equals("server_error") || shape.type().equals("api_error"), code.name());
      }
    }
  }

  @Test
  void anInStreamErrorIsOneDataEvent() {
    Buffer chunk = OpenAiErrors.streamChunk(OpenAiErrors.of(FailureCode.STREAM_ENDED_EARLY), "cut short");
    String text = chunk.toString();
    assertTrue(text.startsWith("data: {") && text.endsWith("}\n\n") && !text.contains("event:"), text);
    assertEquals("cut short", tree(text.substring(6)).at("/error/message").asText());
  }

  @Test
  void readsAnAnthropicErrorBodyOrFallsBack() {
    Buffer anthropic = Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
        + "\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}");
    assertEquals("Number of request tokens has exceeded your per-minute rate limit",
        OpenAiErrors.anthropicMessage(anthropic, "fallback"));
    assertEquals("rate_limit_error", OpenAiErrors.anthropicType(anthropic));
    assertEquals("fallback", OpenAiErrors.anthropicMessage(Buffer.buffer("<html>bad gateway</html>"), "fallback"));
    assertEquals(OpenAiErrors.of(FailureCode.UPSTREAM_ERROR), OpenAiErrors.ofAnthropicType(null));
    assertEquals(OpenAiErrors.of(FailureCode.UPSTREAM_RATE_LIMITED), OpenAiErrors.ofAnthropicType("rate_limit_error"));
  }
}
