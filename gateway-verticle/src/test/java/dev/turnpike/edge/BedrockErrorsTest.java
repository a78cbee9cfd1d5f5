package dev.turnpike.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.FailureCode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BedrockErrorsTest {
  /**
   * Bedrock Runtime's exceptions and the status its service model gives each (the {@code httpError} traits of
   * {@code com.amazonaws.bedrockruntime}, as in aws/aws-sdk-js-v3 clients/client-bedrock-runtime and the client
   * bundled in Claude Code 2.1.332).
   */
  private static final Map<String, Integer> BEDROCK_RUNTIME = Map.ofEntries(
      Map.entry("AccessDeniedException", 403), Map.entry("InternalServerException", 500),
      Map.entry("ModelErrorException", 424), Map.entry("ModelNotReadyException", 429),
      Map.entry("ModelTimeoutException", 408), Map.entry("ResourceNotFoundException", 404),
      Map.entry("ServiceQuotaExceededException", 400), Map.entry("ServiceUnavailableException", 503),
      Map.entry("ThrottlingException", 429), Map.entry("ValidationException", 400));
  /** The members of InvokeModelWithResponseStream's ResponseStream union that are errors. */
  private static final Set<String> STREAM_EXCEPTIONS = Set.of("internalServerException", "modelStreamErrorException",
      "validationException", "throttlingException", "modelTimeoutException", "serviceUnavailableException");

  @Test
  void should_answer_every_failure_with_a_bedrock_runtime_exception_at_its_own_status() {
    for (FailureCode code : FailureCode.values()) {
      BedrockErrors.Shape shape = BedrockErrors.of(code);
      assertEquals(BEDROCK_RUNTIME.get(shape.name()), shape.status(), code + " -> " + shape);
      assertTrue(STREAM_EXCEPTIONS.contains(BedrockErrors.streamType(code)), code::name);
    }
  }

  @Test
  void should_keep_what_the_client_acts_on() {
    assertEquals("ThrottlingException", BedrockErrors.of(FailureCode.UPSTREAM_RATE_LIMITED).name());
    assertEquals("ValidationException", BedrockErrors.of(FailureCode.UPSTREAM_INVALID_REQUEST).name());
    assertEquals("ModelErrorException", BedrockErrors.of(FailureCode.UPSTREAM_ERROR).name());
    assertEquals("ModelTimeoutException", BedrockErrors.of(FailureCode.UPSTREAM_TIMEOUT).name());
    // The operator's provider key was refused: the developer's own credential is fine.
    assertNotEquals("AccessDeniedException", BedrockErrors.of(FailureCode.UPSTREAM_AUTH).name());
    assertEquals("AccessDeniedException", BedrockErrors.of(FailureCode.UNAUTHENTICATED).name());
  }

  @Test
  void should_name_the_stream_exception_for_an_anthropic_error_type() {
    assertEquals("serviceUnavailableException", BedrockErrors.streamType("overloaded_error"));
    assertEquals("throttlingException", BedrockErrors.streamType("rate_limit_error"));
    assertEquals("internalServerException", BedrockErrors.streamType("api_error"));
    assertEquals("modelStreamErrorException", BedrockErrors.streamType("something_new"));
    assertEquals("modelStreamErrorException", BedrockErrors.streamType((String) null));
  }
}
