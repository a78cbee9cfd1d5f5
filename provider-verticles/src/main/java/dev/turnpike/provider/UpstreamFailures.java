package dev.turnpike.provider;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import java.util.regex.Pattern;

/** One table from an upstream's HTTP error status to Turnpike's failure classification, for every dialect. */
public final class UpstreamFailures {
  private static final int MAX_MESSAGE_CHARS = 300;
  /** Anything key-shaped an upstream might echo back (OpenAI echoes part of a bad key in its 401 message). */
  private static final Pattern SECRETS = Pattern.compile(
      "(?i)(sk-[A-Za-z0-9_*.\\-]{3,}|bearer\\s+[A-Za-z0-9._~+/=*\\-]+|AIza[0-9A-Za-z_\\-]{10,}|key-[A-Za-z0-9]{8,})");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\s]+");

  private UpstreamFailures() {}

  public static FailureCode codeFor(int status) {
    return switch (status) {
      case 400, 422 -> FailureCode.UPSTREAM_INVALID_REQUEST;
      case 401, 403 -> FailureCode.UPSTREAM_AUTH;
      case 404 -> FailureCode.UPSTREAM_NOT_FOUND;
      case 408, 504 -> FailureCode.UPSTREAM_TIMEOUT;
      case 413 -> FailureCode.REQUEST_TOO_LARGE;
      case 429 -> FailureCode.UPSTREAM_RATE_LIMITED;
      case 503, 529 -> FailureCode.UPSTREAM_OVERLOADED;
      default -> FailureCode.UPSTREAM_ERROR;
    };
  }

  /** A failure naming the provider, its status and its own message, with anything secret-looking masked. */
  public static Failure forStatus(String provider, int status, String upstreamMessage) {
    String detail = upstreamMessage == null || upstreamMessage.isBlank() ? "" : ": " + redact(upstreamMessage);
    return Failure.of(codeFor(status), "Provider '" + provider + "' answered " + status + detail);
  }

  /**
   * An upstream's own words made safe to show: key-shaped text masked (before cutting, so a key cut in half
   * cannot escape the pattern), flattened to one line, at most {@value #MAX_MESSAGE_CHARS} characters.
   */
  public static String redact(String text) {
    String clean = CONTROL.matcher(SECRETS.matcher(text).replaceAll("[redacted]")).replaceAll(" ").trim();
    return clean.length() > MAX_MESSAGE_CHARS ? clean.substring(0, MAX_MESSAGE_CHARS) + "..." : clean;
  }
}
