package dev.turnpike.contract;

/**
 * Tells governance what a finished (or failed) attempt really used, so counters and budgets settle.
 *
 * @param succeeded false when the attempt failed; usage is then what was consumed before the failure
 */
public record SettleRequest(String requestId, Admission admission, Target target, Usage usage, boolean succeeded) {}
