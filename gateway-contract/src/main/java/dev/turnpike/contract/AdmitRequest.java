package dev.turnpike.contract;

import io.vertx.core.Promise;

/**
 * Asks governance whether a request may proceed, and on whose account. Sent before the body is read, so an
 * unknown client never makes the node buffer a body. Governance completes {@code reply} with the
 * {@link Admission}, or fails it with a {@link Failure.FailureException} (see {@link LocalReply}).
 *
 * @param credential the client's key or token as sent (never logged; governance keeps only its fingerprint)
 */
public record AdmitRequest(String requestId, String credential, Promise<Admission> reply)
    implements Replying<Admission> {
  @Override
  public String toString() {
    return "AdmitRequest[" + requestId + "]";
  }
}
