package dev.turnpike.governance.logs;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request-log query as the API takes it ({@code /api/logs?provider=...&sort=cost}), checked: every bad parameter
 * is a clear 400, and what reaches SQL is a column name from a fixed list or a bound value, never the caller's text.
 *
 * @param where the filters as SQL over {@code turnpike_request_log} (without the scope), with {@code args} bound in order
 */
public record LogQuery(String where, List<Object> args, String sortColumn, boolean descending, int limit, int offset,
                       JsonObject params) {
  public static final int MAX_LIMIT = 1000;
  /** A page may start at most this deep: each node answers offset + limit rows for the merge. */
  public static final int MAX_WINDOW = 10_000;
  private static final Map<String, String> TEXT_FILTERS = Map.of(
      "provider", "provider", "virtual_key", "virtual_key", "team", "team", "customer", "customer",
      "session_id", "session_id", "node", "node", "agent_id", "agent_id", "rule", "rule_name",
      "request_class", "request_class");
  private static final Map<String, String> SORTS = Map.of("time", "received_at", "latency", "latency_ms",
      "ttft", "ttft_ms", "tokens", "total_tokens", "cost", "cost_nano_usd", "status", "status");
  private static final Set<String> KNOWN = Set.of("provider", "virtual_key", "team", "customer", "session_id", "node",
      "agent_id", "rule", "request_class", "model", "status", "error_type", "stream", "from", "to", "min_latency_ms",
      "max_latency_ms", "min_tokens", "max_tokens", "min_cost", "max_cost", "q", "limit", "offset", "sort", "order",
      "group_by", "since");

  /** Reads the parameters (first value of each); throws {@link IllegalArgumentException} naming a bad one. */
  public static LogQuery parse(Map<String, String> params) {
    for (String name : params.keySet()) {
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown parameter '" + name + "' (known: "
            + String.join(", ", KNOWN.stream().sorted().toList()) + ")");
      }
    }
    List<String> clauses = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    TEXT_FILTERS.forEach((param, column) -> {
      String value = params.get(param);
      if (value != null && !value.isEmpty()) {
        clauses.add(column + " = ?");
        args.add(value);
      }
    });
    String model = params.get("model");
    if (model != null && !model.isEmpty()) {
      // The name the client asked for, the model that answered, or provider/model of the latter.
      clauses.add("(requested_model = ? OR model = ? OR provider || '/' || model = ?)");
      args.add(model);
      args.add(model);
      args.add(model);
    }
    status(params.get("status"), clauses, args);
    String errorType = params.get("error_type");
    if (errorType != null && !errorType.isEmpty()) {
      if ("none".equals(errorType)) {
        clauses.add("error_type IS NULL");
      } else {
        clauses.add("error_type = ?");
        args.add(errorType.toLowerCase(Locale.ROOT));
      }
    }
    String stream = params.get("stream");
    if (stream != null && !stream.isEmpty()) {
      if (!stream.equals("true") && !stream.equals("false")) {
        throw new IllegalArgumentException("stream must be true or false, not '" + stream + "'");
      }
      clauses.add("stream = ?");
      args.add(Boolean.parseBoolean(stream));
    }
    range(params, "from", "to", "received_at", LogQuery::time, clauses, args);
    range(params, "min_latency_ms", "max_latency_ms", "latency_ms", LogQuery::decimal, clauses, args);
    range(params, "min_tokens", "max_tokens", "total_tokens", LogQuery::whole, clauses, args);
    range(params, "min_cost", "max_cost", "cost_nano_usd", (name, text) -> Math.round(decimal(name, text) * 1e9),
        clauses, args);
    String since = params.get("since");
    if (since != null && !since.isEmpty()) {
      clauses.add("logged_at > ?");
      args.add(whole("since", since));
    }
    String q = params.get("q");
    if (q != null && !q.isEmpty()) {
      if (q.length() > 200) {
        throw new IllegalArgumentException("q: at most 200 characters");
      }
      String pattern = "%" + q.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
          + "%";
      clauses.add("(LOWER(content_request) LIKE ? ESCAPE '\\' OR LOWER(content_response) LIKE ? ESCAPE '\\')");
      args.add(pattern);
      args.add(pattern);
    }
    String sortName = params.getOrDefault("sort", "time");
    String sort = SORTS.get(sortName);
    if (sort == null) {
      throw new IllegalArgumentException("sort must be one of " + String.join(", ", SORTS.keySet().stream().sorted()
          .toList()) + ", not '" + sortName + "'");
    }
    String order = params.getOrDefault("order", "desc");
    if (!order.equals("asc") && !order.equals("desc")) {
      throw new IllegalArgumentException("order must be asc or desc, not '" + order + "'");
    }
    int limit = (int) bounded("limit", params.get("limit"), 50, 1, MAX_LIMIT);
    int offset = (int) bounded("offset", params.get("offset"), 0, 0, MAX_WINDOW - limit);
    JsonObject echo = new JsonObject();
    params.forEach(echo::put);
    return new LogQuery(String.join(" AND ", clauses), List.copyOf(args), sort, order.equals("desc"), limit, offset,
        echo);
  }

  /** The same filters, asked again for the first {@code window} rows (each node of a fan-out answers that many). */
  public LogQuery firstRows(int window) {
    return new LogQuery(where, args, sortColumn, descending, window, 0, params);
  }

  private static void status(String status, List<String> clauses, List<Object> args) {
    if (status == null || status.isEmpty()) {
      return;
    }
    if (status.matches("[1-5]xx")) {
      int low = (status.charAt(0) - '0') * 100;
      clauses.add("status >= ? AND status < ?");
      args.add(low);
      args.add(low + 100);
    } else if (status.matches("[1-9][0-9]{2}")) {
      clauses.add("status = ?");
      args.add(Integer.parseInt(status));
    } else {
      throw new IllegalArgumentException("status must be a code such as 429 or a class such as 5xx, not '" + status
          + "'");
    }
  }

  private interface Reader {
    Object read(String name, String text);
  }

  private static void range(Map<String, String> params, String lowName, String highName, String column, Reader reader,
                            List<String> clauses, List<Object> args) {
    String low = params.get(lowName);
    if (low != null && !low.isEmpty()) {
      clauses.add(column + " >= ?");
      args.add(reader.read(lowName, low));
    }
    String high = params.get(highName);
    if (high != null && !high.isEmpty()) {
      clauses.add(column + " <= ?");
      args.add(reader.read(highName, high));
    }
  }

  private static long time(String name, String text) {
    if (text.matches("[0-9]{1,15}")) {
      return Long.parseLong(text);
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be epoch milliseconds or an ISO-8601 instant such as "
          + "2026-12-03T10:00:00Z, not '" + text + "'");
    }
  }

  private static double decimal(String name, String text) {
    try {
      double value = Double.parseDouble(text);
      if (Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // the message below
    }
    throw new IllegalArgumentException(name + " must be a number, not '" + text + "'");
  }

  private static long whole(String name, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + text + "'");
    }
  }

  private static long bounded(String name, String text, long fallback, long min, long max) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    long value = whole(name, text);
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", not " + value);
    }
    return value;
  }
}
