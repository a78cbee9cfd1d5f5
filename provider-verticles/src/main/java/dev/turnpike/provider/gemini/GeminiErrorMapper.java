package dev.turnpike.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.provider.UpstreamFailures;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Google API error, {@code {"error": {"code", "message", "status", "details"}}}, to a {@link Failure}: the HTTP
 * status classifies it ({@link UpstreamFailures#codeFor}), refined by what Google says:
 * <ul>
 *   <li>a rejected API key is a 400 {@code INVALID_ARGUMENT} with reason {@code API_KEY_INVALID}: it is about
 *   the operator's key, not the client's request, so it is {@code UPSTREAM_AUTH} (another target may work);
 *   so is {@code FAILED_PRECONDITION} (billing or region of the operator's project);</li>
 *   <li>{@code google.rpc.RetryInfo.retryDelay} ("37s") is the retry-after when no header says one;</li>
 *   <li>"The input token count (N) exceeds the maximum number of tokens allowed (M)" is also said as
 *   Anthropic's "prompt is too long: N tokens &gt; M maximum", the words Claude Code compacts on;</li>
 *   <li>an error inside a started stream carries its code in the body, not in the HTTP status.</li>
 * </ul>
 * The message names the provider, the status and Google's words, with anything key-shaped masked.
 */
public final class GeminiErrorMapper {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RETRY_SECONDS = 3600;
  private static final Pattern RETRY_DELAY = Pattern.compile("^(\\d+(?:\\.\\d+)?)s$");
  private static final Pattern TOO_LONG = Pattern.compile(
      "input token count \\((\\d+)\\) exceeds the maximum number of tokens allowed \\((\\d+)\\)");

  private GeminiErrorMapper() {}

  /**
   * @param httpStatus the answer's status, or 0 for an error event inside a stream (the body's code counts)
   * @param retryAfterHeader seconds from the {@code retry-after} header, 0 when absent
   */
  public static Failure toFailure(String provider, int httpStatus, Buffer body, int retryAfterHeader) {
    JsonNode error = errorOf(body);
    int status = httpStatus > 0 ? httpStatus : error.path("code").asInt(500);
    String googleStatus = error.path("status").asText("");
    String message = error.path("message").isTextual() ? error.path("message").asText()
        : error.isMissingNode() ? UpstreamFailures.messageOf(body) : "";
    FailureCode code = UpstreamFailures.codeFor(status);
    if ("FAILED_PRECONDITION".equals(googleStatus) || hasReason(error, "API_KEY_INVALID")) {
      code = FailureCode.UPSTREAM_AUTH;
    }
    StringBuilder text = new StringBuilder();
    Matcher tooLong = TOO_LONG.matcher(message);
    boolean promptTooLong = tooLong.find();
    if (promptTooLong) {
      text.append("prompt is too long: ").append(tooLong.group(1)).append(" tokens > ").append(tooLong.group(2))
          .append(" maximum (");
    }
    text.append("Provider '").append(provider).append("' answered ").append(status);
    if (!googleStatus.isEmpty()) {
      text.append(' ').append(googleStatus);
    }
    String words = UpstreamFailures.redact(message);
    if (!words.isEmpty()) {
      text.append(": ").append(words);
    }
    if (promptTooLong) {
      text.append(')');
    }
    int retryAfter = retryAfterHeader > 0 ? retryAfterHeader : retryDelaySeconds(error);
    return Failure.of(code, text.toString()).withRetryAfter(retryAfter);
  }

  /** The {@code error} object of a Google error body (some proxies wrap it in a one-element array). */
  private static JsonNode errorOf(Buffer body) {
    if (body == null || body.length() == 0) {
      return JSON.missingNode();
    }
    try {
      JsonNode root = JSON.readTree(body.toString(StandardCharsets.UTF_8));
      if (root != null && root.isArray()) {
        root = root.path(0);
      }
      return root != null && root.path("error").isObject() ? root.path("error") : JSON.missingNode();
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static boolean hasReason(JsonNode error, String reason) {
    for (JsonNode detail : error.path("details")) {
      if (reason.equals(detail.path("reason").asText())) {
        return true;
      }
    }
    return false;
  }

  private static int retryDelaySeconds(JsonNode error) {
    for (JsonNode detail : error.path("details")) {
      Matcher delay = RETRY_DELAY.matcher(detail.path("retryDelay").asText(""));
      if (delay.matches()) {
        return (int) Math.min(MAX_RETRY_SECONDS, Math.ceil(Double.parseDouble(delay.group(1))));
      }
    }
    return 0;
  }
}
