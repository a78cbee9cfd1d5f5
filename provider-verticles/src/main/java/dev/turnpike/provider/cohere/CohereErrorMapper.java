package dev.turnpike.provider.cohere;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.provider.UpstreamFailures;
import io.vertx.core.buffer.Buffer;

/**
 * Cohere's error answers as {@link Failure}s. An error status carries {@code {"id": ..., "message": ...}}; the
 * failure names the provider, the status and Cohere's message, cut short and with anything key-shaped masked.
 * Cohere's own statuses: 498 (the request or answer holds a deny-listed token: the content's fault, so not worth
 * another target) and 499 (cancelled on Cohere's side). An answer can also fail after a 200: {@code ERROR} or
 * {@code TIMEOUT} as its finish reason, with {@code error} in a stream's {@code message-end}.
 */
public final class CohereErrorMapper {
  private static final int INVALID_TOKEN = 498;

  private CohereErrorMapper() {}

  public static Failure forStatus(String provider, int status, Buffer body) {
    Failure failure = UpstreamFailures.forStatus(provider, status, UpstreamFailures.messageOf(body));
    return status == INVALID_TOKEN ? Failure.of(FailureCode.UPSTREAM_INVALID_REQUEST, failure.message()) : failure;
  }

  /** The failure a finish reason stands for, or null when the answer is complete. */
  public static Failure forFinishReason(String provider, String finishReason, String error) {
    String detail = error == null || error.isBlank() ? "" : ": " + UpstreamFailures.redact(error);
    if ("ERROR".equals(finishReason)) {
      return Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + provider + "' failed while generating" + detail);
    }
    if ("TIMEOUT".equals(finishReason)) {
      return Failure.of(FailureCode.UPSTREAM_TIMEOUT,
          "Provider '" + provider + "' stopped generating at its time limit" + detail);
    }
    return null;
  }
}
