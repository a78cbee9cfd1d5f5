package dev.turnpike.provider.azure;

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

class AzureErrorMapperTest {

  @TestFactory
  Stream<DynamicTest> should_match_expected_failure_when_azure_answers_an_error_fixture() {
    List<String> cases = AzureFixtures.FILES.cases(".azure-error.json");
    assertEquals(8, cases.size(), "cases: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode fixture = AzureFixtures.FILES.json(name + ".azure-error.json");
      JsonNode body = fixture.path("body");
      Failure failure = AzureErrorMapper.toFailure("azure", AzureFixtures.DEPLOYMENT, fixture.path("status").asInt(),
          Buffer.buffer(body.isTextual() ? body.asText() : body.toString()));
      JsonNode expected = AzureFixtures.FILES.json(name + ".expected-failure.json");
      assertEquals(FailureCode.valueOf(expected.path("code").asText()), failure.code(), name);
      assertEquals(expected.path("message").asText(), failure.message(), name);
      assertEquals(expected.path("retryAfterSeconds").asInt(), failure.retryAfterSeconds(), name);
    }));
  }

  @Test
  void should_mask_a_key_azure_echoes_in_its_message_or_code() {
    String body = "{\"error\":{\"code\":\"Bearer abc.def-123\",\"message\":\"key sk-" + "A".repeat(30)
        + " refused\"}}";

    Failure failure = AzureErrorMapper.toFailure("azure", "d", 401, Buffer.buffer(body));

    assertFalse(failure.message().contains("sk-AAA"), failure.message());
    assertFalse(failure.message().contains("abc.def"), failure.message());
    assertTrue(failure.message().startsWith("Provider 'azure' answered 401: key [redacted] refused"));
  }

  @Test
  void should_name_only_the_status_when_the_body_is_empty() {
    Failure failure = AzureErrorMapper.toFailure("azure", "d", 503, Buffer.buffer());

    assertEquals(FailureCode.UPSTREAM_OVERLOADED, failure.code());
    assertEquals("Provider 'azure' answered 503", failure.message());
  }

  @Test
  void should_classify_an_in_stream_content_filter_error_as_a_refused_request() {
    String chunk = "{\"error\":{\"code\":\"content_filter\",\"message\":\"The response was filtered\"}}";

    Failure failure = AzureErrorMapper.toFailure("azure", "d", 500, Buffer.buffer(chunk));

    assertEquals(FailureCode.UPSTREAM_INVALID_REQUEST, failure.code());
    assertTrue(failure.message().contains("content filter"), failure.message());
  }
}
