package dev.turnpike.contract;

/**
 * Every way a request can fail, classified once. The edge, metrics, logs and the failover loop read this key;
 * {@link #wireCode()} carries it in {@code Message#fail}.
 */
public enum FailureCode {
  INVALID_REQUEST(400, "invalid_request_error", false),
  UNAUTHENTICATED(401, "authentication_error", false),
  BUDGET_EXHAUSTED(402, "billing_error", false),
  FORBIDDEN(403, "permission_error", false),
  NOT_FOUND(404, "not_found_error", false),
  REQUEST_TOO_LARGE(413, "request_too_large", false),
  RATE_LIMITED(429, "rate_limit_error", false),
  INTERNAL(500, "api_error", false),
  /** This node has as many requests in flight as it is configured to carry. */
  OVERLOADED(529, "overloaded_error", false),
  /** The node has not finished starting (or is stopping). */
  NOT_READY(503, "api_error", false),
  /** The upstream answered 429: another target may have capacity. */
  UPSTREAM_RATE_LIMITED(429, "rate_limit_error", true),
  /** The upstream refused our credentials: a configuration problem, but another target may work. */
  UPSTREAM_AUTH(502, "api_error", true),
  /** The upstream rejected the request as invalid: the client's fault, so no failover. */
  UPSTREAM_INVALID_REQUEST(400, "invalid_request_error", false),
  UPSTREAM_NOT_FOUND(404, "not_found_error", false),
  UPSTREAM_ERROR(502, "api_error", true),
  UPSTREAM_UNAVAILABLE(502, "api_error", true),
  UPSTREAM_OVERLOADED(529, "overloaded_error", true),
  UPSTREAM_TIMEOUT(504, "api_error", true),
  /** Bytes already reached the client; the stream ends with an Anthropic {@code error} event. */
  STREAM_ENDED_EARLY(502, "api_error", false),
  CLIENT_CLOSED(499, "api_error", false),
  /** The client stopped reading for longer than a paused stream may hold its upstream. */
  CLIENT_STALLED(499, "api_error", false),
  /** The client did not send its request body in time. */
  REQUEST_TIMEOUT(408, "invalid_request_error", false);

  private final int httpStatus;
  private final String anthropicType;
  private final boolean retryable;

  FailureCode(int httpStatus, String anthropicType, boolean retryable) {
    this.httpStatus = httpStatus;
    this.anthropicType = anthropicType;
    this.retryable = retryable;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String anthropicType() {
    return anthropicType;
  }

  /** Whether the failover loop may try the next target (only before the first byte reached the client). */
  public boolean retryable() {
    return retryable;
  }

  /** Whether the same target may be tried again (a refused provider key stays refused: fail over instead). */
  public boolean retrySameTarget() {
    return retryable && this != UPSTREAM_AUTH;
  }

  public int wireCode() {
    return 1000 + ordinal();
  }

  public static FailureCode fromWireCode(int code) {
    int index = code - 1000;
    FailureCode[] all = values();
    return index >= 0 && index < all.length ? all[index] : INTERNAL;
  }
}
