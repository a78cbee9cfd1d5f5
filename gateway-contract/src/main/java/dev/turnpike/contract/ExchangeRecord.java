package dev.turnpike.contract;

import java.util.List;

/**
 * Everything that happened to one client request, written once when it ended, however it ended (answered,
 * refused, failed, client gone, node draining). Settlement, the request log, metrics and circuit breakers read
 * this one record; nothing of it is computed twice.
 *
 * <p>Times are nanoseconds after {@code receivedAtEpochMs}'s moment ({@code -1}: never happened).
 *
 * @param admission who the request was admitted as; null when it was refused before that
 * @param requestedModel the model the client named; null when the body was never read
 * @param affinity what session affinity did ({@code new}, {@code bound}, {@code moved}), null without a session
 * @param attempts every upstream attempt in order; empty when the request never reached a provider
 * @param status the HTTP status the client got (499 when it left first)
 * @param failure why it failed, null when it was answered (a stream that ended with an upstream {@code error}
 *     event counts as failed)
 * @param usage the sum of every attempt's usage: what the upstreams reported, settled whatever the ending
 */
public record ExchangeRecord(String requestId, String node, Operation operation, long receivedAtEpochMs,
                             long firstByteNanos, long endNanos, Admission admission, String requestedModel,
                             boolean stream, String matchedRule, String affinity, List<Attempt> attempts, int status,
                             FailureCode failure, String failureMessage, Usage usage, ClientInfo client) {
  public ExchangeRecord {
    attempts = List.copyOf(attempts);
  }

  /** The target whose answer (or failure) the client got; null when no attempt was made. */
  public Target served() {
    return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).target();
  }

  public boolean succeeded() {
    return failure == null;
  }

  /**
   * One upstream attempt.
   *
   * @param outcome null when the attempt answered; otherwise how it failed ({@link FailureCode#CLIENT_CLOSED}
   *     when the client left during it, {@link FailureCode#STREAM_ENDED_EARLY} when it failed after bytes
   *     reached the client)
   * @param usage what the upstream reported during this attempt, including an attempt cut short
   */
  public record Attempt(Target target, long startNanos, long endNanos, FailureCode outcome, Usage usage) {}

  /** What Claude Code says about itself in its headers; empty strings when absent. */
  public record ClientInfo(String sessionId, String agentId, String requestClass, String userAgent) {
    public static final ClientInfo NONE = new ClientInfo("", "", "", "");
  }
}
