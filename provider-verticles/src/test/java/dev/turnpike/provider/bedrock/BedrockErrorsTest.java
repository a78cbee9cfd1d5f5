package dev.turnpike.provider.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BedrockErrorsTest {

  /** Statuses and exception names of the Converse operation's errors in the botocore service model. */
  @ParameterizedTest
  @CsvSource({
      "400, ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/, UPSTREAM_INVALID_REQUEST",
      "400, ServiceQuotaExceededException, UPSTREAM_RATE_LIMITED",
      "429, ThrottlingException, UPSTREAM_RATE_LIMITED",
      "403, AccessDeniedException, UPSTREAM_AUTH",
      "404, ResourceNotFoundException, UPSTREAM_NOT_FOUND",
      "408, ModelTimeoutException, UPSTREAM_TIMEOUT",
      "424, ModelErrorException, UPSTREAM_ERROR",
      "429, ModelNotReadyException, UPSTREAM_OVERLOADED",
      "500, InternalServerException, UPSTREAM_ERROR",
      "503, ServiceUnavailableException, UPSTREAM_OVERLOADED",
      "503, , UPSTREAM_OVERLOADED",
      "429, , UPSTREAM_RATE_LIMITED",
      "413, SomethingNew, REQUEST_TOO_LARGE"
  })
  void should_classify_an_error_answer_by_its_exception_else_its_status(int status, String type, FailureCode code) {
    assertEquals(code, BedrockErrors.forAnswer("bedrock", status, type, "m").code());
  }

  @Test
  void should_name_the_provider_status_and_exception_and_mask_key_shaped_words() {
    Failure failure = BedrockErrors.forAnswer("bedrock", 403,
        "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/",
        "The security token included in the request is invalid: AKIAIOSFODNN7EXAMPLE");

    assertTrue(failure.message().startsWith("Provider 'bedrock' answered 403 (UnrecognizedClientException): The "
        + "security token"), failure.message());
    assertFalse(failure.message().contains("AKIAIOSFODNN7EXAMPLE"), failure.message());
    assertFalse(failure.message().contains("coral"), "the header's namespace is noise");
  }
}
