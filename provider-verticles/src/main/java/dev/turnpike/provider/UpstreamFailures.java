package dev.turnpike.provider;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** One table from an upstream's HTTP error status to Turnpike's failure classification, for every dialect. */
public final class UpstreamFailures {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE_CHARS = 300;
  /**
   * Anything key-shaped an upstream might echo back (OpenAI echoes part of a bad key in its 401 message; AWS names
   * the access key id it could not find).
   */
  private static final Pattern SECRETS = Pattern.compile(
      "(?i)(sk-[A-Za-z0-9_*.\\-]{3,}|bearer\\s+[A-Za-z0-9._~+/=*\\-]+|AIza[0-9A-Za-z_\\-]{10,}|key-[A-Za-z0-9]{8,}"
          // AWS access key ids, Google OAuth access tokens
          + "|\\b(AKIA|ASIA)[A-Z0-9]{12,}|ya29\\.[A-Za-z0-9._\\-]+)");
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

  /** The classification of an error an upstream reported by its Anthropic error type (in a stream, say). */
  public static FailureCode codeForErrorType(String type) {
    return switch (type) {
      case "overloaded_error" -> FailureCode.UPSTREAM_OVERLOADED;
      case "rate_limit_error" -> FailureCode.UPSTREAM_RATE_LIMITED;
      case "invalid_request_error" -> FailureCode.UPSTREAM_INVALID_REQUEST;
      case "request_too_large" -> FailureCode.REQUEST_TOO_LARGE;
      case "not_found_error" -> FailureCode.UPSTREAM_NOT_FOUND;
      case "authentication_error", "permission_error" -> FailureCode.UPSTREAM_AUTH;
      default -> FailureCode.UPSTREAM_ERROR;
    };
  }

  /** A stream event past {@code server.max_event_bytes}: the parser dropped it, so the stream cannot go on. */
  public static Failure oversizedEvent(String provider, int maxEventBytes) {
    return Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + provider + "' sent an event larger than "
        + maxEventBytes + " bytes (server.max_event_bytes)");
  }

  /** A stream event that is not the JSON object the dialect sends. */
  public static Failure malformedEvent(String provider) {
    return Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + provider + "' sent a malformed stream event");
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

  /**
   * The upstream's own words from an error body, made safe by {@link #redact}: {@code error.message} (with type
   * and code) of OpenAI's and Anthropic's error JSON, the flat {@code {"message":...}} some compatible servers
   * send, or the text of a non-JSON body.
   */
  public static String messageOf(Buffer body) {
    if (body == null || body.length() == 0) {
      return "";
    }
    String text = body.toString(StandardCharsets.UTF_8);
    String message = text;
    try {
      JsonNode root = JSON.readTree(text);
      if (root != null && root.isObject()) {
        message = fromJson(root);
      }
    } catch (IOException e) {
      // not JSON: the body itself, an HTML error page or a proxy's plain text
    }
    return redact(message);
  }

  private static String fromJson(JsonNode root) {
    JsonNode error = root.path("error");
    if (error.isTextual()) {
      return error.asText();
    }
    JsonNode holder = error.isObject() ? error : root;
    String message = holder.path("message").asText("");
    String type = holder.path("type").asText("");
    String code = holder.path("code").isValueNode() && !holder.path("code").isNull()
        ? holder.path("code").asText() : "";
    StringBuilder out = new StringBuilder(message.isEmpty() ? root.toString() : message);
    if (!type.isEmpty() || !code.isEmpty()) {
      out.append(" (");
      if (!type.isEmpty()) {
        out.append("type ").append(type);
      }
      if (!code.isEmpty()) {
        out.append(type.isEmpty() ? "" : ", ").append("code ").append(code);
      }
      out.append(')');
    }
    return out.toString();
  }
}
