package dev.turnpike.governance.logs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/logs/stats}: requests, errors, tokens, cost and latency percentiles per group. Each node sums its own
 * rows; the sums and the latency histograms (log-spaced buckets, 5% apart, so a percentile is within 5%) add up
 * across nodes exactly, which a percentile computed per node would not. Groups beyond {@link #MAX_GROUPS} count
 * under {@code (other)}: the answer stays bounded whatever the data.
 */
public final class LogStats {
  public enum GroupBy {
    VIRTUAL_KEY, TEAM, CUSTOMER, MODEL, PROVIDER, SESSION, DAY, HOUR, MINUTE;

    public static GroupBy parse(String name) {
      for (GroupBy g : values()) {
        if (g.name().equalsIgnoreCase(name)) {
          return g;
        }
      }
      throw new IllegalArgumentException("group_by must be one of virtual_key, team, customer, model, provider, "
          + "session, day, hour, minute, not '" + name + "'");
    }

    boolean byTime() {
      return this == DAY || this == HOUR || this == MINUTE;
    }
  }

  static final String COLUMNS = "virtual_key, team, customer, provider, model, requested_model, session_id, "
      + "received_at, error_type, latency_ms, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, "
      + "cost_nano_usd";
  static final int MAX_GROUPS = 2_000;
  private static final double BUCKET_RATIO = 1.05;
  private static final double SMALLEST_MS = 0.01;
  private static final int BUCKETS = 480; // 0.01 ms to ~150 hours
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'")
      .withZone(ZoneOffset.UTC);

  private final GroupBy groupBy;
  private final Map<String, Group> groups = new HashMap<>();

  public LogStats(GroupBy groupBy) {
    this.groupBy = groupBy;
  }

  void add(ResultSet row) throws SQLException {
    Group group = group(key(row));
    group.requests++;
    if (row.getString("error_type") != null) {
      group.errors++;
    }
    group.inputTokens += row.getLong("input_tokens");
    group.outputTokens += row.getLong("output_tokens");
    group.cacheReadTokens += row.getLong("cache_read_tokens");
    group.cacheWriteTokens += row.getLong("cache_write_tokens");
    group.costNanoUsd += row.getLong("cost_nano_usd");
    double latency = row.getDouble("latency_ms");
    group.latencySumMs += latency;
    group.histogram[bucket(latency)]++;
  }

  private String key(ResultSet row) throws SQLException {
    return switch (groupBy) {
      case VIRTUAL_KEY -> row.getString("virtual_key");
      case TEAM -> row.getString("team");
      case CUSTOMER -> row.getString("customer");
      case PROVIDER -> row.getString("provider");
      case SESSION -> row.getString("session_id");
      case MODEL -> {
        String provider = row.getString("provider");
        yield provider == null ? row.getString("requested_model") : provider + "/" + row.getString("model");
      }
      case DAY -> DAY.format(Instant.ofEpochMilli(row.getLong("received_at")));
      case HOUR -> MINUTE.format(Instant.ofEpochMilli(row.getLong("received_at")).truncatedTo(ChronoUnit.HOURS));
      case MINUTE -> MINUTE.format(Instant.ofEpochMilli(row.getLong("received_at")).truncatedTo(ChronoUnit.MINUTES));
    };
  }

  private Group group(String key) {
    String name = key == null ? "(none)" : key;
    Group group = groups.get(name);
    if (group == null) {
      if (groups.size() >= MAX_GROUPS) {
        name = "(other)";
        group = groups.get(name);
      }
      if (group == null) {
        group = new Group();
        groups.put(name, group);
      }
    }
    return group;
  }

  private static int bucket(double ms) {
    if (ms <= SMALLEST_MS) {
      return 0;
    }
    int index = (int) Math.ceil(Math.log(ms / SMALLEST_MS) / Math.log(BUCKET_RATIO));
    return Math.min(BUCKETS - 1, index);
  }

  private static double upperBound(int bucket) {
    return SMALLEST_MS * Math.pow(BUCKET_RATIO, bucket);
  }

  /** What one node sends the node that asked: the sums and the histograms, sparse. */
  public JsonObject toPartial() {
    JsonObject out = new JsonObject();
    groups.forEach((key, g) -> {
      JsonObject histogram = new JsonObject();
      for (int i = 0; i < BUCKETS; i++) {
        if (g.histogram[i] != 0) {
          histogram.put(Integer.toString(i), g.histogram[i]);
        }
      }
      out.put(key, new JsonObject().put("requests", g.requests).put("errors", g.errors)
          .put("input_tokens", g.inputTokens).put("output_tokens", g.outputTokens)
          .put("cache_read_tokens", g.cacheReadTokens).put("cache_write_tokens", g.cacheWriteTokens)
          .put("cost_nano_usd", g.costNanoUsd).put("latency_sum_ms", g.latencySumMs).put("histogram", histogram));
    });
    return out;
  }

  /** Adds another node's partial answer. */
  public void merge(JsonObject partial) {
    for (String key : partial.fieldNames()) {
      JsonObject p = partial.getJsonObject(key);
      Group g = group(key);
      g.requests += p.getLong("requests", 0L);
      g.errors += p.getLong("errors", 0L);
      g.inputTokens += p.getLong("input_tokens", 0L);
      g.outputTokens += p.getLong("output_tokens", 0L);
      g.cacheReadTokens += p.getLong("cache_read_tokens", 0L);
      g.cacheWriteTokens += p.getLong("cache_write_tokens", 0L);
      g.costNanoUsd += p.getLong("cost_nano_usd", 0L);
      g.latencySumMs += p.getDouble("latency_sum_ms", 0.0);
      JsonObject histogram = p.getJsonObject("histogram", new JsonObject());
      for (String bucket : histogram.fieldNames()) {
        int index = Integer.parseInt(bucket);
        if (index >= 0 && index < BUCKETS) {
          g.histogram[index] += histogram.getLong(bucket);
        }
      }
    }
  }

  /** The answer: groups by cost (identities) or in time order (days, hours, minutes). */
  public JsonArray toJson() {
    List<Map.Entry<String, Group>> sorted = new ArrayList<>(groups.entrySet());
    if (groupBy.byTime()) {
      sorted.sort(Map.Entry.comparingByKey());
    } else {
      sorted.sort(Comparator.<Map.Entry<String, Group>>comparingLong(e -> e.getValue().costNanoUsd).reversed()
          .thenComparing(e -> -e.getValue().requests).thenComparing(Map.Entry::getKey));
    }
    JsonArray out = new JsonArray();
    for (Map.Entry<String, Group> entry : sorted) {
      Group g = entry.getValue();
      out.add(new JsonObject().put("key", entry.getKey()).put("requests", g.requests).put("errors", g.errors)
          .put("input_tokens", g.inputTokens).put("output_tokens", g.outputTokens)
          .put("cache_read_tokens", g.cacheReadTokens).put("cache_write_tokens", g.cacheWriteTokens)
          .put("cost_usd", RequestLogEntry.usd(g.costNanoUsd))
          .put("latency_ms", new JsonObject().put("p50", g.percentile(0.50)).put("p90", g.percentile(0.90))
              .put("p99", g.percentile(0.99))
              .put("mean", g.requests == 0 ? 0.0 : Math.round(g.latencySumMs / g.requests * 1000) / 1000.0)));
    }
    return out;
  }

  private static final class Group {
    long requests;
    long errors;
    long inputTokens;
    long outputTokens;
    long cacheReadTokens;
    long cacheWriteTokens;
    long costNanoUsd;
    double latencySumMs;
    final long[] histogram = new long[BUCKETS];

    /** The upper bound of the bucket holding the q-th request: at most 5% above the true value. */
    double percentile(double q) {
      if (requests == 0) {
        return 0.0;
      }
      long rank = (long) Math.ceil(q * requests);
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += histogram[i];
        if (seen >= rank) {
          return Math.round(upperBound(i) * 1000) / 1000.0;
        }
      }
      return Math.round(upperBound(BUCKETS - 1) * 1000) / 1000.0;
    }
  }
}
