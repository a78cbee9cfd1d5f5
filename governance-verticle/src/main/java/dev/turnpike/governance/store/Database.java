package dev.turnpike.governance.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The durable store's connection pool, opened once per node with its schema brought up to date. Only the
 * write-behind writers and the loaders use it, never a request: the hot path reads the cluster's maps.
 */
public final class Database implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Database.class.getName());
  private final HikariDataSource pool;
  private final StoreSettings settings;
  private final EntryTable entries;

  private Database(HikariDataSource pool, StoreSettings settings) {
    this.pool = pool;
    this.settings = settings;
    this.entries = new EntryTable(pool);
  }

  /**
   * Connects and migrates; blocking. Fails with a message naming the store (never its password) when it cannot.
   *
   * @param node who migrates, recorded with each step it applies
   */
  public static Database open(StoreSettings settings, String node) {
    return open(settings, node, "turnpike-store", true);
  }

  /**
   * As {@link #open(StoreSettings, String)}, with its own pool named {@code poolName} (in thread names).
   *
   * @param durable false for an embedded file whose last writes may be lost if the machine (not the process) dies,
   *     such as the request log: SQLite then never waits for the disk
   */
  public static Database open(StoreSettings settings, String node, String poolName, boolean durable) {
    if (!settings.enabled()) {
      throw new IllegalArgumentException("no store is configured");
    }
    Dialect dialect = settings.kind() == StoreSettings.Kind.POSTGRES ? Dialect.POSTGRES : Dialect.SQLITE;
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    config.setJdbcUrl(settings.jdbcUrl());
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(10_000);
    if (dialect == Dialect.SQLITE && settings.dataDir() != null) {
      try {
        Files.createDirectories(settings.dataDir());
      } catch (IOException e) {
        throw new StoreException("store: cannot create the data directory " + settings.dataDir() + ": " + e, e);
      }
      // WAL lets readers and one writer work at once, across the processes sharing the file; a writer waits for
      // another's lock rather than failing.
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", durable ? "NORMAL" : "OFF");
      config.addDataSourceProperty("busy_timeout", "30000");
    } else {
      if (settings.user() != null) {
        config.setUsername(settings.user());
      }
      if (settings.password() != null) {
        config.setPassword(settings.password());
      }
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("store: cannot connect to " + settings.describe() + ": " + rootMessage(e), e);
    }
    try (Connection connection = pool.getConnection()) {
      List<Integer> applied = Migrations.apply(connection, dialect, node);
      if (!applied.isEmpty()) {
        LOG.log(System.Logger.Level.INFO, "Store {0}: applied schema steps {1}", settings.describe(), applied);
      }
    } catch (SQLException e) {
      pool.close();
      throw new StoreException("store: cannot prepare the schema of " + settings.describe() + ": "
          + rootMessage(e), e);
    }
    return new Database(pool, settings);
  }

  public EntryTable entries() {
    return entries;
  }

  /** For the store's other tables (the request log); never used by a request. */
  public javax.sql.DataSource dataSource() {
    return pool;
  }

  public StoreSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    pool.close();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  /** The store could not be opened or used; the message is safe to show. */
  public static final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
