package dev.turnpike.provider.bedrock;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.provider.UpstreamFailures;
import java.util.Locale;

/**
 * Bedrock's exceptions (the {@code :exception-type} of a stream message, or the {@code x-amzn-errortype} of an error
 * answer) as Turnpike failures. Names are compared without case: the HTTP header says {@code ThrottlingException},
 * the stream says {@code throttlingException}.
 */
final class BedrockErrors {
  private BedrockErrors() {}

  static FailureCode codeFor(String exceptionType) {
    String name = exceptionType == null ? "" : exceptionType.toLowerCase(Locale.ROOT);
    int colon = name.indexOf(':'); // the header may carry ":http://internal.amazon.com/coral/..." after the name
    if (colon >= 0) {
      name = name.substring(0, colon);
    }
    return switch (name) {
      case "throttlingexception", "servicequotaexceededexception" -> FailureCode.UPSTREAM_RATE_LIMITED;
      case "serviceunavailableexception", "modelnotreadyexception" -> FailureCode.UPSTREAM_OVERLOADED;
      case "modeltimeoutexception" -> FailureCode.UPSTREAM_TIMEOUT;
      case "validationexception" -> FailureCode.UPSTREAM_INVALID_REQUEST;
      case "accessdeniedexception", "unrecognizedclientexception" -> FailureCode.UPSTREAM_AUTH;
      case "resourcenotfoundexception" -> FailureCode.UPSTREAM_NOT_FOUND;
      default -> FailureCode.UPSTREAM_ERROR; // internalServerException, modelStreamErrorException, ...
    };
  }

  /** An exception Bedrock reported inside a stream. */
  static Failure inStream(String provider, String exceptionType, String message) {
    String type = exceptionType == null || exceptionType.isBlank() ? "an exception" : UpstreamFailures.redact(
        exceptionType);
    String detail = message == null || message.isBlank() ? "" : ": " + UpstreamFailures.redact(message);
    return Failure.of(codeFor(exceptionType), "Provider '" + provider + "' reported " + type + " in the stream"
        + detail);
  }
}
