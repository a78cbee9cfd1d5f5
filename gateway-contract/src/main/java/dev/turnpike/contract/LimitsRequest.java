package dev.turnpike.contract;

import io.vertx.core.Promise;

/**
 * Asks governance how much of the tightest budget, token limit and request limit that apply to a caller is used
 * (the routing rules' {@code budget_used}, {@code tokens_used}, {@code request}). Sent only when a rule reads one.
 */
public record LimitsRequest(String requestId, Admission admission, Promise<Usage.Limits> reply)
    implements Replying<Usage.Limits> {}
