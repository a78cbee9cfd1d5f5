package dev.turnpike.edge;

import dev.turnpike.contract.Admission;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fills in one request's {@link ExchangeRecord} as the request goes, and completes it exactly once: the first
 * ending wins, later ones are ignored. Everything that reads a request whole (settlement, and later the request
 * log, metrics and breakers) is fed from that completion, so nothing is counted twice or lost.
 */
final class ExchangeRecorder {
  private final long startNanos = System.nanoTime();
  private final long receivedAtEpochMs = System.currentTimeMillis();
  private final String requestId;
  private final String nodeId;
  private final Operation operation;
  private final ExchangeRecord.ClientInfo client;
  private final Consumer<ExchangeRecord> onComplete;
  private final List<ExchangeRecord.Attempt> attempts = new ArrayList<>(2);
  private Admission admission;
  private String requestedModel;
  private boolean stream;
  private String matchedRule;
  private String affinity;
  private long firstByteNanos = -1;
  private long lastByteNanos = -1;
  private int dataEvents;
  private long admittedNanos = -1;
  private long routedNanos = -1;
  private Target attemptTarget;
  private long attemptStartNanos;
  private long attemptHeadNanos;
  private ContentCapture content;
  private ExchangeRecord record;

  ExchangeRecorder(String requestId, String nodeId, Operation operation, ExchangeRecord.ClientInfo client,
                   Consumer<ExchangeRecord> onComplete) {
    this.requestId = requestId;
    this.nodeId = nodeId;
    this.operation = operation;
    this.client = client;
    this.onComplete = onComplete;
  }

  String requestId() {
    return requestId;
  }

  void admitted(Admission admission) {
    this.admission = admission;
    this.admittedNanos = now();
  }

  /** Keeps the request's and the answer's bytes, up to {@code maxBytes} each, for the request log. */
  void captureContent(ContentCapture capture) {
    this.content = capture;
  }

  /** Where the answer's bytes go when content is captured; null when it is not. */
  ContentCapture content() {
    return content;
  }

  void requested(String model, boolean stream) {
    this.requestedModel = model;
    this.stream = stream;
  }

  void routed(String matchedRule, String affinity) {
    this.matchedRule = matchedRule;
    this.affinity = affinity;
    this.routedNanos = now();
  }

  /** What session affinity did, null without a session. */
  String affinity() {
    return affinity;
  }

  /** The rule that chose the targets, null when none matched. */
  String matchedRule() {
    return matchedRule;
  }

  void attemptStarted(Target target) {
    attemptTarget = target;
    attemptStartNanos = now();
    attemptHeadNanos = -1;
  }

  /** The upstream's status and headers arrived for the attempt in progress. */
  void attemptHead() {
    if (attemptTarget != null && attemptHeadNanos < 0) {
      attemptHeadNanos = now();
    }
  }

  /** Ends the attempt in progress; {@code outcome} null when it answered. Idempotent per attempt. */
  void attemptEnded(FailureCode outcome, Usage usage) {
    if (attemptTarget != null) {
      attempts.add(new ExchangeRecord.Attempt(attemptTarget, attemptStartNanos, attemptHeadNanos, now(), outcome,
          usage));
      attemptTarget = null;
    }
  }

  /** Answer bytes (one upstream event, or a chunk of a whole answer) were written to the client. */
  void wrote() {
    long now = now();
    if (firstByteNanos < 0) {
      firstByteNanos = now;
    }
    lastByteNanos = now;
    dataEvents++;
  }

  boolean completed() {
    return record != null;
  }

  /**
   * Completes the record; false when it was already complete. An attempt still open is ended with the
   * request's failure (its usage unknown here: callers end attempts with their usage first).
   */
  boolean complete(int status, Failure failure) {
    if (record != null) {
      return false;
    }
    attemptEnded(failure == null ? null : failure.code(), Usage.NONE);
    Usage usage = Usage.NONE;
    for (ExchangeRecord.Attempt attempt : attempts) {
      usage = usage.plus(attempt.usage());
    }
    record = new ExchangeRecord(requestId, nodeId, operation, receivedAtEpochMs, firstByteNanos, now(), admittedNanos,
        routedNanos, lastByteNanos, dataEvents, admission, requestedModel, stream, matchedRule, affinity, attempts,
        status, failure == null ? null : failure.code(), failure == null ? null : failure.message(), usage, client,
        content == null ? null : content.toContent());
    onComplete.accept(record);
    return true;
  }

  ExchangeRecord record() {
    return record;
  }

  private long now() {
    return System.nanoTime() - startNanos;
  }
}
