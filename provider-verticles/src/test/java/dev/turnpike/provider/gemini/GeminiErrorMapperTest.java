package dev.turnpike.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class GeminiErrorMapperTest {

  @TestFactory
  Stream<DynamicTest> should_match_expected_failure_when_gemini_answers_an_error_fixture() {
    List<String> cases = GeminiFixtures.FILES.cases(".gemini-error.json");
    assertTrue(cases.size() >= 11, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode fixture = GeminiFixtures.FILES.json(name + ".gemini-error.json");
      JsonNode body = fixture.path("body");
      Buffer bytes = Buffer.buffer(body.isTextual() ? body.asText() : body.toString());
      Failure failure = GeminiErrorMapper.toFailure("gemini", fixture.path("status").asInt(), bytes,
          fixture.path("retryAfter").asInt(0));
      JsonNode expected = GeminiFixtures.FILES.json(name + ".expected-failure.json");
      assertEquals(FailureCode.valueOf(expected.path("code").asText()), failure.code(), name);
      assertEquals(expected.path("message").asText(), failure.message(), name);
      assertEquals(expected.path("retryAfterSeconds").asInt(), failure.retryAfterSeconds(), name);
    }));
  }

  @Test
  void should_classify_by_status_when_the_body_is_empty() {
    assertEquals(FailureCode.UPSTREAM_RATE_LIMITED, GeminiErrorMapper.toFailure("g", 429, Buffer.buffer(), 0).code());
    assertEquals(FailureCode.UPSTREAM_AUTH, GeminiErrorMapper.toFailure("g", 403, Buffer.buffer(), 0).code());
    assertEquals(FailureCode.UPSTREAM_TIMEOUT, GeminiErrorMapper.toFailure("g", 504, Buffer.buffer(), 0).code());
    assertEquals("Provider 'g' answered 500", GeminiErrorMapper.toFailure("g", 500, Buffer.buffer(), 0).message());
  }

  @Test
  void should_mask_an_api_key_when_google_echoes_it() {
    Failure failure = GeminiErrorMapper.toFailure("g", 400, Buffer.buffer(
        "{\"error\":{\"code\":400,\"message\":\"Invalid API key: AIzaSyD-abcdefghijklmnopqrstuv\","
            + "\"status\":\"INVALID_ARGUMENT\"}}"), 0);
    assertFalse(failure.message().contains("AIzaSyD"), failure.message());
  }
}
