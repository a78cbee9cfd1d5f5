package dev.turnpike.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class OpenAiErrorMapperTest {

  @TestFactory
  Stream<DynamicTest> should_match_expected_failure_when_upstream_answers_an_error_fixture() {
    List<String> cases = Fixtures.FILES.cases(".openai-error.json");
    assertTrue(cases.size() >= 6, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode fixture = Fixtures.FILES.json(name + ".openai-error.json");
      JsonNode body = fixture.path("body");
      Buffer bytes = Buffer.buffer(body.isTextual() ? body.asText() : body.toString());
      Failure failure = OpenAiErrorMapper.toFailure(fixture.path("status").asInt(), bytes);
      JsonNode expected = Fixtures.FILES.json(name + ".expected-failure.json");
      assertEquals(FailureCode.valueOf(expected.path("code").asText()), failure.code(), name);
      assertEquals(expected.path("message").asText(), failure.message(), name);
    }));
  }

  @Test
  void should_classify_every_status_when_mapping_the_table() {
    Map<Integer, FailureCode> table = Map.ofEntries(
        Map.entry(400, FailureCode.UPSTREAM_INVALID_REQUEST),
        Map.entry(401, FailureCode.UPSTREAM_AUTH), Map.entry(403, FailureCode.UPSTREAM_AUTH),
        Map.entry(404, FailureCode.UPSTREAM_NOT_FOUND),
        Map.entry(408, FailureCode.UPSTREAM_TIMEOUT), Map.entry(504, FailureCode.UPSTREAM_TIMEOUT),
        Map.entry(429, FailureCode.UPSTREAM_RATE_LIMITED),
        Map.entry(500, FailureCode.UPSTREAM_ERROR), Map.entry(502, FailureCode.UPSTREAM_ERROR),
        Map.entry(503, FailureCode.UPSTREAM_OVERLOADED), Map.entry(529, FailureCode.UPSTREAM_OVERLOADED),
        Map.entry(418, FailureCode.UPSTREAM_ERROR), Map.entry(501, FailureCode.UPSTREAM_ERROR));
    table.forEach((status, code) ->
        assertEquals(code, OpenAiErrorMapper.toFailure(status, Buffer.buffer()).code(), "status " + status));
  }

  @Test
  void should_truncate_and_mask_when_the_body_is_long_and_holds_a_key() {
    String body = "{\"error\":{\"message\":\"bad key sk-" + "A".repeat(40) + " " + "z".repeat(2000) + "\"}}";
    Failure failure = OpenAiErrorMapper.toFailure(401, Buffer.buffer(body));
    assertFalse(failure.message().contains("sk-A"), failure.message());
    assertTrue(failure.message().length() < 400, "length " + failure.message().length());
    assertTrue(failure.message().startsWith("Upstream answered HTTP 401: bad key [redacted] zzz"));
  }

  @Test
  void should_name_only_the_status_when_the_body_is_empty() {
    assertEquals("Upstream answered HTTP 502", OpenAiErrorMapper.toFailure(502, Buffer.buffer()).message());
  }
}
