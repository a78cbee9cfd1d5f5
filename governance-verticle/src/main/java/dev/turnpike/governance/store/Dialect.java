package dev.turnpike.governance.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between the two stores: how migrations exclude each other when several nodes start at once. The
 * rest of the SQL (an upsert with {@code ON CONFLICT ... DO UPDATE}) is the same on PostgreSQL and SQLite.
 */
enum Dialect {
  /** A session advisory lock: other nodes wait until the migrating one is done. */
  POSTGRES {
    @Override
    void lockForMigration(Connection connection) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      }
    }

    @Override
    void unlockAfterMigration(Connection connection, boolean succeeded) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    }
  },
  /** The file's write lock, taken at once by BEGIN IMMEDIATE; others wait for it up to the busy timeout. */
  SQLITE {
    @Override
    void lockForMigration(Connection connection) throws SQLException {
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        statement.execute("BEGIN IMMEDIATE");
      }
    }

    @Override
    void unlockAfterMigration(Connection connection, boolean succeeded) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute(succeeded ? "COMMIT" : "ROLLBACK");
      }
    }

    @Override
    boolean transactionPerMigration() {
      return false; // the whole migration already runs in the one immediate transaction
    }
  };

  /** Any constant other programs sharing the database are unlikely to use: "turnpike" in ASCII. */
  private static final long MIGRATION_LOCK = 0x7475726e70696b65L;

  abstract void lockForMigration(Connection connection) throws SQLException;

  abstract void unlockAfterMigration(Connection connection, boolean succeeded) throws SQLException;

  boolean transactionPerMigration() {
    return true;
  }
}
