package dev.turnpike.contract;

import java.util.List;

/**
 * Everything that happened to one client request, written once when it ended, however it ended (answered,
 * refused, failed, client gone, node draining). Settlement, the request log, metrics and circuit breakers read
 * this one record; nothing of it is computed twice.
 *
 * <p>Times are nanoseconds after {@code receivedAtEpochMs}'s moment ({@code -1}: never happened). The phases
 * (admission, routing, each attempt) are here so a trace can be drawn after the fact, off the hot path.
 *
 * @param admittedNanos when governance admitted the request
 * @param routedNanos when the router answered (the body was read and scanned before it was asked)
 * @param lastByteNanos when the last answer bytes were written to the client
 * @param dataEvents how many upstream events (or chunks of a whole answer) were written to the client; with
 *     {@code firstByteNanos} and {@code lastByteNanos} it gives the mean time between tokens of a stream
 * @param admission who the request was admitted as; null when it was refused before that
 * @param requestedModel the model the client named; null when the body was never read
 * @param affinity what session affinity did ({@code new}, {@code bound}, {@code moved}), null without a session
 * @param attempts every upstream attempt in order; empty when the request never reached a provider
 * @param status the HTTP status the client got (499 when it left first)
 * @param failure why it failed, null when it was answered (a stream that ended with an upstream {@code error}
 *     event counts as failed)
 * @param usage the sum of every attempt's usage: what the upstreams reported, settled whatever the ending
 * @param content the request and answer as the client sent and got them, cut at the configured size; null unless
 *     content logging is on for this request
 */
public record ExchangeRecord(String requestId, String node, Operation operation, long receivedAtEpochMs,
                             long firstByteNanos, long endNanos, long admittedNanos, long routedNanos,
                             long lastByteNanos, int dataEvents, Admission admission, String requestedModel,
                             boolean stream, String matchedRule, String affinity, List<Attempt> attempts, int status,
                             FailureCode failure, String failureMessage, Usage usage, ClientInfo client,
                             Content content) {
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
   * @param headNanos when the upstream's status and headers arrived; -1 when they never did
   * @param usage what the upstream reported during this attempt, including an attempt cut short
   */
  public record Attempt(Target target, long startNanos, long headNanos, long endNanos, FailureCode outcome,
                        Usage usage) {}

  /**
   * What the client says about itself in its headers (Claude Code's session, agent and request class, the W3C
   * trace context); empty strings when absent.
   */
  public record ClientInfo(String sessionId, String agentId, String requestClass, String userAgent,
                           String traceparent, String tracestate) {
    public static final ClientInfo NONE = new ClientInfo("", "", "", "", "", "");
  }

  /**
   * What was said, kept only where content logging is on.
   *
   * @param truncated whether either side was cut at the size cap
   */
  public record Content(String request, String response, boolean truncated) {}
}
