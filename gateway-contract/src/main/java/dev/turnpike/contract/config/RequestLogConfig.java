package dev.turnpike.contract.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code request_log} section: one record per request, written off the hot path in batches.
 *
 * @param store where records go: {@code auto} follows {@code store.kind} (PostgreSQL when the cluster's store is
 *     PostgreSQL, so any node answers for all; otherwise an embedded file per node, asked in turn over the
 *     event bus), or {@code postgres}, {@code embedded}, {@code memory} (a node's own, gone when it stops)
 * @param retentionDays records older than this are deleted
 * @param maxRows at most this many records are kept per store (the oldest go first)
 * @param content whether every request's content is kept (a virtual key can turn it on for itself alone)
 * @param contentMaxBytes the cap on each of a request's body and its answer when content is kept
 * @param queueMax records waiting to be written; beyond it a record is dropped and counted, never the request
 *     slowed
 */
public record RequestLogConfig(boolean enabled, Store store, int retentionDays, long maxRows, boolean content,
                               int contentMaxBytes, long batchMs, int queueMax) {
  public enum Store { AUTO, POSTGRES, EMBEDDED, MEMORY }

  private static final Set<String> KEYS = Set.of("enabled", "store", "retention_days", "max_rows", "content",
      "content_max_bytes", "batch_ms", "queue_max");
  public static final RequestLogConfig DEFAULTS = new RequestLogConfig(true, Store.AUTO, 30, 1_000_000, false,
      32 * 1024, 250, 10_000);

  public static RequestLogConfig fromJson(JsonObject config, List<String> problems) {
    String path = "request_log";
    JsonObject json = ConfigValues.section(config, path);
    ConfigValues.known(json, path, KEYS, problems);
    String storeName = ConfigValues.text(json, path, "store", "auto", problems).toLowerCase(Locale.ROOT);
    Store store = switch (storeName) {
      case "auto" -> Store.AUTO;
      case "postgres", "postgresql" -> Store.POSTGRES;
      case "embedded" -> Store.EMBEDDED;
      case "memory" -> Store.MEMORY;
      default -> {
        problems.add(path + ".store must be auto, postgres, embedded or memory, not " + storeName);
        yield Store.AUTO;
      }
    };
    return new RequestLogConfig(ConfigValues.flag(json, path, "enabled", DEFAULTS.enabled(), problems), store,
        (int) ConfigValues.number(json, path, "retention_days", DEFAULTS.retentionDays(), 1, 3650, problems),
        ConfigValues.number(json, path, "max_rows", DEFAULTS.maxRows(), 100, 1_000_000_000L, problems),
        ConfigValues.flag(json, path, "content", DEFAULTS.content(), problems),
        (int) ConfigValues.number(json, path, "content_max_bytes", DEFAULTS.contentMaxBytes(), 0, 16 << 20, problems),
        ConfigValues.number(json, path, "batch_ms", DEFAULTS.batchMs(), 10, 60_000, problems),
        (int) ConfigValues.number(json, path, "queue_max", DEFAULTS.queueMax(), 100, 1_000_000, problems));
  }
}
