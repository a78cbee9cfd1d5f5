package dev.turnpike.governance.limits;

/**
 * What one attempt must reserve against one limit.
 *
 * @param key the counter: the limit's id and the start of its current window
 * @param limit the limit's size in its unit
 * @param amount the worst case this attempt can use (nano-USD, requests or tokens)
 * @param keepUntilMs when the counter may leave the store (a day after its window ends)
 * @param windowEndMs when the window ends: a refusal's {@code retry-after} and reset time
 */
public record Need(LimitSpec spec, String key, long limit, long amount, long keepUntilMs, long windowEndMs) {}
