package dev.turnpike.contract;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;

/**
 * A classified failure with a message fit for the client: it never carries a secret or a stack trace.
 *
 * @param retryAfterSeconds what the client should wait before retrying (an upstream's {@code retry-after}), 0 if
 *     nothing was said
 * @param upstreamReply the error answer of a same-family upstream, to pass to the client unchanged when this
 *     failure is final (ARCHITECTURE.md §4: Claude Code matches on the upstream's own wording); null otherwise
 * @param headers extra response headers for the client (a refusal's {@code x-should-retry} and
 *     {@code anthropic-ratelimit-unified-*}); never anything secret
 */
public record Failure(FailureCode code, String message, int retryAfterSeconds, UpstreamReply upstreamReply,
                      java.util.Map<String, String> headers) {
  public Failure {
    headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
  }

  public Failure(FailureCode code, String message) {
    this(code, message, 0, null, null);
  }

  public Failure(FailureCode code, String message, int retryAfterSeconds) {
    this(code, message, retryAfterSeconds, null, null);
  }

  public Failure withRetryAfter(int seconds) {
    return new Failure(code, message, Math.max(0, seconds), upstreamReply, headers);
  }

  public Failure withUpstreamReply(UpstreamReply reply) {
    return new Failure(code, message, retryAfterSeconds, reply, headers);
  }

  public Failure withHeaders(java.util.Map<String, String> extra) {
    return new Failure(code, message, retryAfterSeconds, upstreamReply, extra);
  }

  public static Failure of(FailureCode code, String message) {
    return new Failure(code, message);
  }

  /** A bug or an unexpected state inside the node: the client learns only which request to report. */
  public static Failure internal(String requestId) {
    return new Failure(FailureCode.INTERNAL, "Internal error in Turnpike (request " + requestId + ")");
  }

  public void failReply(Message<?> message) {
    message.fail(code.wireCode(), this.message);
  }

  public RuntimeException asException() {
    return new FailureException(this);
  }

  /** Recovers the classification from a failed event-bus request or a {@link FailureException}. */
  public static Failure from(Throwable error) {
    if (error instanceof FailureException fe) {
      return fe.failure();
    }
    if (error instanceof ReplyException re) {
      return switch (re.failureType()) {
        case RECIPIENT_FAILURE -> new Failure(FailureCode.fromWireCode(re.failureCode()), re.getMessage());
        case NO_HANDLERS -> new Failure(FailureCode.INTERNAL, "No handler on this node for " + re.getMessage());
        case TIMEOUT -> new Failure(FailureCode.INTERNAL, "Internal request timed out");
        default -> new Failure(FailureCode.INTERNAL, "Internal error");
      };
    }
    return new Failure(FailureCode.INTERNAL, "Internal error");
  }

  public static final class FailureException extends RuntimeException {
    private final Failure failure;

    public FailureException(Failure failure) {
      super(failure.message(), null, false, false);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }
}
