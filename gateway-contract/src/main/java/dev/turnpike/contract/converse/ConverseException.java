package dev.turnpike.contract.converse;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;

/**
 * A body the Converse translators cannot translate. The message names the field, e.g.
 * {@code messages[2].content[0]: unknown block 'foo'}, and never quotes content, so it is safe to log and to
 * return to the client.
 */
public final class ConverseException extends RuntimeException {
  private final FailureCode code;

  ConverseException(FailureCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The client's request is at fault. */
  static ConverseException invalidRequest(String path, String problem) {
    return new ConverseException(FailureCode.INVALID_REQUEST, path.isEmpty() ? problem : path + ": " + problem);
  }

  /** The upstream's answer is at fault: another target might answer in a form we can translate. */
  static ConverseException badUpstream(String path, String problem) {
    return new ConverseException(FailureCode.UPSTREAM_ERROR,
        "Upstream answer: " + (path.isEmpty() ? problem : path + ": " + problem));
  }

  public FailureCode code() {
    return code;
  }

  public Failure failure() {
    return Failure.of(code, getMessage());
  }
}
