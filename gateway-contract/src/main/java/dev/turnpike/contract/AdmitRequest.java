package dev.turnpike.contract;

/**
 * Asks governance whether a request may proceed, and on whose account.
 *
 * @param credential the client's key or token as sent (never logged; governance keeps only its fingerprint)
 */
public record AdmitRequest(String requestId, String credential, String requestedModel, long estimatedInputTokens,
                           long maxOutputTokens) {
  @Override
  public String toString() {
    return "AdmitRequest[" + requestId + ", model=" + requestedModel + "]";
  }
}
