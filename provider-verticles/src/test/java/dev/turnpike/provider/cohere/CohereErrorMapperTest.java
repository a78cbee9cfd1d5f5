package dev.turnpike.provider.cohere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class CohereErrorMapperTest {

  @TestFactory
  Stream<DynamicTest> should_match_golden_failure_when_mapping_an_error_answer() {
    List<String> cases = CohereFixtures.FILES.cases(".cohere-error.json", ".expected-failure.json");
    assertTrue(cases.size() >= 9, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode error = CohereFixtures.FILES.json(name + ".cohere-error.json");
      JsonNode body = error.path("body");
      Buffer bytes = Buffer.buffer(body.isTextual() ? body.asText() : body.toString());

      Failure failure = CohereErrorMapper.forStatus(CohereFixtures.PROVIDER, error.path("status").asInt(), bytes);

      JsonNode expected = CohereFixtures.FILES.json(name + ".expected-failure.json");
      assertEquals(expected.path("code").asText(), failure.code().name(), name);
      assertEquals(expected.path("message").asText(), failure.message(), name);
    }));
  }

  @Test
  void should_fail_only_for_error_and_timeout_finish_reasons() {
    for (String complete : new String[] {"COMPLETE", "MAX_TOKENS", "STOP_SEQUENCE", "TOOL_CALL", null}) {
      assertNull(CohereErrorMapper.forFinishReason("cohere", complete, "ignored"), String.valueOf(complete));
    }
    assertEquals(FailureCode.UPSTREAM_ERROR, CohereErrorMapper.forFinishReason("cohere", "ERROR", null).code());
    assertEquals(FailureCode.UPSTREAM_TIMEOUT, CohereErrorMapper.forFinishReason("cohere", "TIMEOUT", "").code());
  }

  @Test
  void should_let_another_target_try_after_a_rate_limit_but_not_after_a_refused_request() {
    Buffer body = Buffer.buffer("{\"message\":\"x\"}");
    assertTrue(CohereErrorMapper.forStatus("cohere", 429, body).code().retryable());
    assertTrue(CohereErrorMapper.forStatus("cohere", 503, body).code().retryable());
    assertTrue(!CohereErrorMapper.forStatus("cohere", 400, body).code().retryable());
    assertTrue(!CohereErrorMapper.forStatus("cohere", 498, body).code().retryable());
  }
}
