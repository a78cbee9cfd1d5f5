package dev.turnpike.contract;

/**
 * Governance's yes: the account the request is counted against.
 *
 * @param subject the counting key: the virtual key id, or {@code key:<fingerprint>} when governance is off
 * @param virtualKey the virtual key id, or null when governance is off
 */
public record Admission(String subject, String virtualKey, String team, String customer) {}
