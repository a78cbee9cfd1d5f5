package dev.turnpike.governance.logs;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import dev.turnpike.governance.GovernancePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the request log, made from a request's {@link ExchangeRecord}: the columns a query filters, sorts and
 * groups on, plus {@code detail} (every attempt and the phase timings, as JSON) and the content when it was kept.
 * Ids only, never a key's value: the record carries none.
 */
public record RequestLogEntry(String id, long receivedAt, long loggedAt, String node, String operation,
                              String virtualKey, String team, String customer, String requestedModel, String provider,
                              String model, String rule, String affinity, int attempts, int status, String errorType,
                              String errorMessage, double latencyMs, Double ttftMs, long inputTokens,
                              long outputTokens, long cacheReadTokens, long cacheWriteTokens, long costNanoUsd,
                              boolean stream, String sessionId, String agentId, String requestClass,
                              String clientVersion, String userAgent, JsonObject detail, String contentRequest,
                              String contentResponse) {
  private static final Pattern VERSION = Pattern.compile("^[A-Za-z-]+/([0-9][0-9A-Za-z.+-]{0,40})");
  private static final double NANOS_PER_MS = 1_000_000.0;

  public static RequestLogEntry of(ExchangeRecord record, GovernancePolicy policy, long loggedAt) {
    Target served = record.served();
    Usage usage = record.usage();
    JsonArray attempts = new JsonArray();
    for (ExchangeRecord.Attempt attempt : record.attempts()) {
      Usage used = attempt.usage();
      attempts.add(new JsonObject()
          .put("provider", attempt.target().provider())
          .put("model", attempt.target().model())
          .put("dialect", attempt.target().dialect())
          .put("start_ms", millis(attempt.startNanos()))
          .put("head_ms", millis(attempt.headNanos()))
          .put("end_ms", millis(attempt.endNanos()))
          .put("outcome", attempt.outcome() == null ? "answered" : code(attempt.outcome()))
          .put("input_tokens", used.inputTokens())
          .put("output_tokens", used.outputTokens())
          .put("cache_read_tokens", used.cacheReadTokens())
          .put("cache_write_tokens", used.cacheCreationTokens())
          .put("cost_usd", usd(policy.costNanos(attempt.target(), used))));
    }
    JsonObject timings = new JsonObject()
        .put("admitted_ms", millis(record.admittedNanos()))
        .put("routed_ms", millis(record.routedNanos()))
        .put("first_byte_ms", millis(record.firstByteNanos()))
        .put("last_byte_ms", millis(record.lastByteNanos()))
        .put("end_ms", millis(record.endNanos()))
        .put("events_written", record.dataEvents());
    ExchangeRecord.Content content = record.content();
    JsonObject detail = new JsonObject().put("attempt_list", attempts).put("timings", timings);
    if (content != null) {
      detail.put("content_truncated", content.truncated());
    }
    ExchangeRecord.ClientInfo client = record.client();
    var admission = record.admission();
    return new RequestLogEntry(record.requestId(), record.receivedAtEpochMs(), loggedAt, record.node(),
        record.operation().name().toLowerCase(Locale.ROOT),
        admission == null ? null : admission.virtualKey() != null ? admission.virtualKey() : admission.subject(),
        admission == null ? null : admission.team(), admission == null ? null : admission.customer(),
        record.requestedModel(), served == null ? null : served.provider(), served == null ? null : served.model(),
        record.matchedRule(), record.affinity(), record.attempts().size(), record.status(),
        record.failure() == null ? null : code(record.failure()), record.failureMessage(),
        millis(record.endNanos()), millis(record.firstByteNanos()),
        usage.inputTokens(), usage.outputTokens(), usage.cacheReadTokens(), usage.cacheCreationTokens(),
        policy.costNanos(record), record.stream(), blankToNull(client.sessionId()), blankToNull(client.agentId()),
        blankToNull(client.requestClass()), clientVersion(client.userAgent()), blankToNull(client.userAgent()), detail,
        content == null ? null : content.request(), content == null ? null : content.response());
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }

  public double costUsd() {
    return usd(costNanoUsd);
  }

  /** The list view: every column but the detail and the content. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id).put("time", receivedAt).put("node", node).put("operation", operation)
        .put("virtual_key", virtualKey).put("team", team).put("customer", customer)
        .put("requested_model", requestedModel).put("provider", provider).put("model", model).put("rule", rule)
        .put("affinity", affinity).put("attempts", attempts).put("status", status).put("error_type", errorType)
        .put("error_message", errorMessage).put("latency_ms", round(latencyMs))
        .put("ttft_ms", ttftMs == null ? null : round(ttftMs)).put("input_tokens", inputTokens)
        .put("output_tokens", outputTokens).put("cache_read_tokens", cacheReadTokens)
        .put("cache_write_tokens", cacheWriteTokens).put("cost_usd", costUsd()).put("stream", stream)
        .put("session_id", sessionId).put("agent_id", agentId).put("request_class", requestClass)
        .put("client_version", clientVersion).put("user_agent", userAgent).put("logged_at", loggedAt);
  }

  /** One request in full: the list view, its attempts and timings, and the content when it was kept. */
  public JsonObject toDetailJson() {
    JsonObject json = toJson().mergeIn(detail.copy());
    json.remove("content_truncated");
    if (contentRequest != null || contentResponse != null) {
      json.put("content", new JsonObject().put("request", contentRequest).put("response", contentResponse)
          .put("truncated", detail.getBoolean("content_truncated", false)));
    }
    return json;
  }

  /** Claude Code says {@code claude-cli/2.1.332 (external, cli)}; SDKs say {@code name/version} too. */
  static String clientVersion(String userAgent) {
    if (userAgent == null) {
      return null;
    }
    Matcher matcher = VERSION.matcher(userAgent);
    return matcher.find() ? matcher.group(1) : null;
  }

  private static String code(dev.turnpike.contract.FailureCode code) {
    return code.name().toLowerCase(Locale.ROOT);
  }

  /** Milliseconds to the microsecond, as stored and shown, so a filter on a shown value finds its row. */
  private static Double millis(long nanos) {
    return nanos < 0 ? null : round(nanos / NANOS_PER_MS);
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  static double usd(long nanoUsd) {
    return nanoUsd / (double) dev.turnpike.governance.pricing.Price.NANOS_PER_USD;
  }

  private static String blankToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
