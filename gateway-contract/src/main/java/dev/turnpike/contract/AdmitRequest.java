package dev.turnpike.contract;

import io.vertx.core.Promise;

/**
 * Asks governance whether a request may proceed, and on whose account. Governance completes {@code reply}
 * with the {@link Admission}, or fails it with a {@link Failure.FailureException} (see {@link LocalReply}).
 *
 * @param credential the client's key or token as sent (never logged; governance keeps only its fingerprint)
 */
public record AdmitRequest(String requestId, String credential, String requestedModel, long estimatedInputTokens,
                           long maxOutputTokens, Promise<Admission> reply) {
  @Override
  public String toString() {
    return "AdmitRequest[" + requestId + ", model=" + requestedModel + "]";
  }
}
