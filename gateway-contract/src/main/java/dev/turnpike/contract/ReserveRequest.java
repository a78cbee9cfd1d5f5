package dev.turnpike.contract;

import io.vertx.core.Promise;
import java.util.function.LongSupplier;

/**
 * Before an attempt is forwarded: may this admitted caller send it to {@code target}, and what does it reserve of
 * the budgets and rate limits that apply (DESIGN: governance, reserve then settle)? Governance completes
 * {@code reply} with the {@link Reservation}, or fails it with 402 (a budget), 429 (a rate limit), 403 (the key may
 * not use the target) or 503 (the shared counters cannot be reached). Every reservation is ended by one
 * {@link AttemptSettlement}.
 *
 * @param inputTokens the request's input-token estimate, computed only if a budget or token limit applies
 */
public record ReserveRequest(String requestId, Admission admission, Target target, LongSupplier inputTokens,
                             long maxTokens, Promise<Reservation> reply) implements Replying<Reservation> {
  @Override
  public String toString() {
    return "ReserveRequest[" + requestId + " " + target.qualifiedModel() + "]";
  }
}
