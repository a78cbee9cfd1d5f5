package dev.turnpike.contract;

/**
 * Governance's yes: the account the request is counted against.
 *
 * @param subject the counting key: the virtual key id, or {@code key:<fingerprint>} when governance is off
 * @param virtualKey the virtual key id, or null when governance is off
 * @param logContent whether this key's requests and answers go into the request log (within its size cap)
 */
public record Admission(String subject, String virtualKey, String team, String customer, boolean logContent) {
  public Admission(String subject, String virtualKey, String team, String customer) {
    this(subject, virtualKey, team, customer, false);
  }
}
