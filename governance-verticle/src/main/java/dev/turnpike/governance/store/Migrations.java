package dev.turnpike.governance.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The schema, as numbered steps applied in order and recorded in {@code turnpike_schema}. Several nodes starting
 * together each try; the dialect's lock lets one apply what is missing while the others wait, then find it done.
 * A step is never edited once released: a change of schema is a new step.
 */
final class Migrations {
  record Step(int version, String description, List<String> statements) {}

  static final List<Step> STEPS = List.of(
      new Step(1, "entries of the cluster's durable maps", List.of(
          """
          CREATE TABLE turnpike_entries (
            scope VARCHAR(200) NOT NULL,
            map_name VARCHAR(200) NOT NULL,
            entry_key VARCHAR(2000) NOT NULL,
            entry_value TEXT NOT NULL,
            expires_at BIGINT,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (scope, map_name, entry_key)
          )""",
          "CREATE INDEX turnpike_entries_expiry ON turnpike_entries (expires_at)")),
      new Step(2, "the request log", List.of(
          """
          CREATE TABLE turnpike_request_log (
            scope VARCHAR(200) NOT NULL,
            id VARCHAR(100) NOT NULL,
            received_at BIGINT NOT NULL,
            logged_at BIGINT NOT NULL,
            node VARCHAR(200),
            operation VARCHAR(32),
            virtual_key VARCHAR(200),
            team VARCHAR(200),
            customer VARCHAR(200),
            requested_model VARCHAR(300),
            provider VARCHAR(200),
            model VARCHAR(300),
            rule_name VARCHAR(200),
            affinity VARCHAR(16),
            attempts INTEGER NOT NULL,
            status INTEGER NOT NULL,
            error_type VARCHAR(64),
            error_message TEXT,
            latency_ms DOUBLE PRECISION NOT NULL,
            ttft_ms DOUBLE PRECISION,
            input_tokens BIGINT NOT NULL,
            output_tokens BIGINT NOT NULL,
            cache_read_tokens BIGINT NOT NULL,
            cache_write_tokens BIGINT NOT NULL,
            total_tokens BIGINT NOT NULL,
            cost_nano_usd BIGINT NOT NULL,
            stream BOOLEAN NOT NULL,
            session_id VARCHAR(200),
            agent_id VARCHAR(200),
            request_class VARCHAR(100),
            client_version VARCHAR(100),
            user_agent VARCHAR(500),
            detail TEXT NOT NULL,
            content_request TEXT,
            content_response TEXT,
            PRIMARY KEY (scope, id)
          )""",
          "CREATE INDEX turnpike_request_log_received ON turnpike_request_log (scope, received_at)",
          "CREATE INDEX turnpike_request_log_logged ON turnpike_request_log (scope, logged_at)",
          "CREATE INDEX turnpike_request_log_session ON turnpike_request_log (scope, session_id)",
          "CREATE INDEX turnpike_request_log_key ON turnpike_request_log (scope, virtual_key)")));

  private Migrations() {}

  /** Applies the missing steps; answers the versions this call applied (empty when another node had). */
  static List<Integer> apply(Connection connection, Dialect dialect, String node) throws SQLException {
    dialect.lockForMigration(connection);
    boolean succeeded = false;
    try {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS turnpike_schema (version INTEGER PRIMARY KEY, "
            + "description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL, applied_by VARCHAR(200) NOT NULL)");
      }
      Set<Integer> done = new HashSet<>();
      try (Statement statement = connection.createStatement();
           ResultSet rows = statement.executeQuery("SELECT version FROM turnpike_schema")) {
        while (rows.next()) {
          done.add(rows.getInt(1));
        }
      }
      List<Integer> applied = new java.util.ArrayList<>();
      for (Step step : STEPS) {
        if (done.contains(step.version())) {
          continue;
        }
        boolean ownTransaction = dialect.transactionPerMigration();
        if (ownTransaction) {
          connection.setAutoCommit(false);
        }
        try {
          try (Statement statement = connection.createStatement()) {
            for (String sql : step.statements()) {
              statement.execute(sql);
            }
          }
          try (PreparedStatement record = connection.prepareStatement(
              "INSERT INTO turnpike_schema (version, description, applied_at, applied_by) VALUES (?, ?, ?, ?)")) {
            record.setInt(1, step.version());
            record.setString(2, step.description());
            record.setLong(3, System.currentTimeMillis());
            record.setString(4, node);
            record.executeUpdate();
          }
          if (ownTransaction) {
            connection.commit();
          }
        } catch (SQLException e) {
          if (ownTransaction) {
            connection.rollback();
          }
          throw new SQLException("schema step " + step.version() + " (" + step.description() + ") failed: "
              + e.getMessage(), e);
        } finally {
          if (ownTransaction) {
            connection.setAutoCommit(true);
          }
        }
        applied.add(step.version());
      }
      succeeded = true;
      return applied;
    } finally {
      dialect.unlockAfterMigration(connection, succeeded);
    }
  }
}
