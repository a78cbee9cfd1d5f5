package dev.turnpike.app;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.config.RequestLogConfig;
import dev.turnpike.governance.GovernancePolicy;
import dev.turnpike.governance.logs.RequestLogService;
import dev.turnpike.governance.logs.RequestLogTable;
import dev.turnpike.governance.logs.RequestLogWriter;
import dev.turnpike.governance.store.Database;
import dev.turnpike.governance.store.StoreSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's request log (ARCHITECTURE.md §13): where its records go, the writer that takes them off the event
 * loops, and the service that answers {@code /api/logs} for the cluster. {@code request_log.store: auto} writes to
 * the cluster's PostgreSQL when {@code store.kind} is {@code postgres} (one table, any node answers for all), and
 * otherwise to a file of this node's own under the data directory, which a query asks every node for in turn.
 */
final class NodeRequestLog implements Consumer<ExchangeRecord> {
  private static final System.Logger LOG = System.getLogger(NodeRequestLog.class.getName());
  private static final long PURGE_INTERVAL_MS = 600_000;
  static final NodeRequestLog OFF = new NodeRequestLog(null, null, false, null);

  private final Database database;
  private final RequestLogWriter writer;
  private final boolean shared;
  private final RequestLogTable table;
  private RequestLogService service;

  private NodeRequestLog(Database database, RequestLogWriter writer, boolean shared, RequestLogTable table) {
    this.database = database;
    this.writer = writer;
    this.shared = shared;
    this.table = table;
  }

  /**
   * Opens the log's store (blocking: it connects and migrates) and starts its writer.
   *
   * @param scope the cluster's name: clusters sharing a database keep their rows apart
   * @param policy the prices in force, for each record's cost; null until governance is ready
   */
  static NodeRequestLog open(JsonObject nodeConfig, Function<String, String> env, String nodeId, String scope,
                             Supplier<GovernancePolicy> policy) {
    List<String> problems = new ArrayList<>();
    RequestLogConfig config = RequestLogConfig.fromJson(nodeConfig, problems);
    StoreSettings store = StoreSettings.fromConfig(nodeConfig.getJsonObject("store"),
        env.apply(StoreSettings.DATA_DIR_VARIABLE), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    if (!config.enabled()) {
      return OFF;
    }
    RequestLogConfig.Store kind = config.store();
    if (kind == RequestLogConfig.Store.AUTO) {
      kind = switch (store.kind()) {
        case POSTGRES -> RequestLogConfig.Store.POSTGRES;
        case EMBEDDED -> RequestLogConfig.Store.EMBEDDED;
        case NONE -> RequestLogConfig.Store.MEMORY;
      };
    }
    StoreSettings settings = switch (kind) {
      case POSTGRES -> {
        if (store.kind() != StoreSettings.Kind.POSTGRES) {
          throw new ConfigException(List.of("request_log.store postgres needs store.kind postgres and its url"));
        }
        yield store;
      }
      case EMBEDDED -> {
        Path dir = store.dataDir() != null ? store.dataDir()
            : StoreSettings.fromConfig(new JsonObject().put("kind", "embedded"),
                env.apply(StoreSettings.DATA_DIR_VARIABLE), problems).dataDir();
        yield new StoreSettings(StoreSettings.Kind.EMBEDDED, "jdbc:sqlite:" + dir.resolve("request-log-"
            + nodeId.replaceAll("[^A-Za-z0-9._-]", "_") + ".db"), dir, null, null, 2, 0);
      }
      default -> new StoreSettings(StoreSettings.Kind.EMBEDDED, "jdbc:sqlite:file:turnpike-log-" + UUID.randomUUID()
          + "?mode=memory&cache=shared", null, null, null, 1, 0);
    };
    Database database;
    try {
      // A log: records of the last moment before a machine crash may go; the store never waits for the disk.
      database = Database.open(settings, nodeId, "turnpike-request-log", false);
    } catch (Database.StoreException e) {
      throw new ConfigException(List.of("request_log: " + e.getMessage()));
    }
    RequestLogTable table = new RequestLogTable(database.dataSource(), scope);
    RequestLogWriter writer = new RequestLogWriter(table::insert, policy, config.queueMax(), config.batchMs(),
        System::currentTimeMillis, retention(table, config));
    LOG.log(System.Logger.Level.INFO, "Request log: {0}", kind == RequestLogConfig.Store.MEMORY
        ? "in memory (store.kind none)" : settings.describe());
    return new NodeRequestLog(database, writer, kind == RequestLogConfig.Store.POSTGRES, table);
  }

  /** Deletes what is past the retention, at most every ten minutes, on the writer's thread. */
  private static Runnable retention(RequestLogTable table, RequestLogConfig config) {
    long[] next = {0};
    return () -> {
      long now = System.currentTimeMillis();
      if (now < next[0]) {
        return;
      }
      next[0] = now + PURGE_INTERVAL_MS;
      try {
        int deleted = table.purge(now - config.retentionDays() * 86_400_000L, config.maxRows());
        if (deleted > 0) {
          LOG.log(System.Logger.Level.INFO, "Request log: {0} records past retention deleted", deleted);
        }
      } catch (java.sql.SQLException e) {
        LOG.log(System.Logger.Level.WARNING, "Request log: retention purge failed: {0}", e.getMessage());
      }
    };
  }

  @Override
  public void accept(ExchangeRecord record) {
    if (writer != null) {
      writer.accept(record);
    }
  }

  boolean enabled() {
    return writer != null;
  }

  long written() {
    return writer == null ? 0 : writer.written();
  }

  long dropped() {
    return writer == null ? 0 : writer.dropped();
  }

  /** Starts answering queries: for the cluster when the store is shared, else for this member's own rows too. */
  void startService(Vertx vertx, String memberId, Supplier<List<String>> members) {
    if (writer == null) {
      return;
    }
    service = new RequestLogService(vertx, table, shared, memberId, members);
    service.start();
  }

  /** Stops answering, writes what is queued, closes the store. */
  Future<Void> close(Vertx vertx) {
    if (writer == null) {
      return Future.succeededFuture();
    }
    Future<Void> stopped = service == null ? Future.succeededFuture() : service.stop();
    return stopped.recover(e -> Future.succeededFuture()).compose(v -> vertx.executeBlocking(() -> {
      writer.close();
      database.close();
      return null;
    }));
  }
}
