package dev.turnpike.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.provider.UpstreamFailures;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Azure OpenAI error answer to a {@link Failure}. Azure's front end answers {@code {"error": {"code",
 * "message"}}} (the code is often the status as a string, or a name such as {@code DeploymentNotFound}); the
 * model service adds {@code type} and {@code param}; a prompt its content filter blocked is a 400 with code
 * {@code content_filter} and, in {@code innererror} ({@code inner_error} in the API spec), which categories were
 * filtered at which severity. Messages name the provider and say what to do; key-shaped text is masked.
 */
public final class AzureErrorMapper {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_RETRY_AFTER_SECONDS = 3600;
  /** Azure's throttling messages say how long to wait even when no {@code retry-after} header comes with them. */
  private static final Pattern RETRY_AFTER = Pattern.compile(
      "(?i)(?:retry after|try again in) (\\d{1,6}) seconds?");

  private AzureErrorMapper() {}

  /**
   * @param deployment the deployment the call was sent to, named in a {@code DeploymentNotFound} failure
   */
  public static Failure toFailure(String provider, String deployment, int status, Buffer body) {
    JsonNode error = errorOf(body);
    if (error == null) {
      return UpstreamFailures.forStatus(provider, status, UpstreamFailures.messageOf(body));
    }
    String prefix = "Provider '" + provider + "' answered " + status + ": ";
    JsonNode inner = error.has("innererror") ? error.path("innererror") : error.path("inner_error");
    String code = text(error.path("code"));
    if ("content_filter".equals(code) || "ResponsibleAIPolicyViolation".equals(text(inner.path("code")))) {
      return Failure.of(FailureCode.UPSTREAM_INVALID_REQUEST, prefix + "Azure OpenAI's content filter blocked the "
          + "prompt" + filteredCategories(inner) + "; rephrase it, or change the content filter of deployment '"
          + deployment + "'");
    }
    String message = UpstreamFailures.redact(text(error.path("message")));
    StringBuilder detail = new StringBuilder(message.isEmpty() ? "(no message)" : message);
    if (!code.isEmpty() && !code.equals(String.valueOf(status))) {
      detail.append(" (code ").append(UpstreamFailures.redact(code)).append(')');
    }
    if ("DeploymentNotFound".equals(code)) {
      detail.append("; deployment '").append(deployment).append("' does not exist in this resource: map the model "
          + "to its deployment in providers.").append(provider).append(".deployments");
    }
    Failure failure = Failure.of(UpstreamFailures.codeFor(status), prefix + detail);
    Matcher wait = RETRY_AFTER.matcher(message);
    return wait.find()
        ? failure.withRetryAfter((int) Math.min(MAX_RETRY_AFTER_SECONDS, Long.parseLong(wait.group(1))))
        : failure;
  }

  private static JsonNode errorOf(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      JsonNode root = JSON.readTree(body.toString(StandardCharsets.UTF_8));
      return root != null && root.path("error").isObject() ? root.path("error") : null;
    } catch (IOException e) {
      return null; // an HTML page from a proxy, say
    }
  }

  /** " (hate: high, jailbreak)" for the categories that were filtered, "" when the answer does not say. */
  private static String filteredCategories(JsonNode inner) {
    JsonNode results = inner.has("content_filter_result") ? inner.path("content_filter_result")
        : inner.path("content_filter_results");
    List<String> filtered = new ArrayList<>();
    for (Map.Entry<String, JsonNode> category : results.properties()) {
      JsonNode result = category.getValue();
      if (result.path("filtered").asBoolean(false)) {
        String severity = text(result.path("severity"));
        filtered.add(severity.isEmpty() ? category.getKey() : category.getKey() + ": " + severity);
      }
    }
    return filtered.isEmpty() ? "" : " (" + UpstreamFailures.redact(String.join(", ", filtered)) + ")";
  }

  private static String text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : "";
  }
}
