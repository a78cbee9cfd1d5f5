package dev.turnpike.governance.logs;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code turnpike_request_log} on PostgreSQL or SQLite: the same SQL on both. One row per request, by scope (the
 * cluster's name) and request id; inserting a row twice keeps the first.
 */
public final class RequestLogTable {
  static final String COLUMNS = "id, received_at, logged_at, node, operation, virtual_key, team, customer, "
      + "requested_model, provider, model, rule_name, affinity, attempts, status, error_type, error_message, "
      + "latency_ms, ttft_ms, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, total_tokens, "
      + "cost_nano_usd, stream, session_id, agent_id, request_class, client_version, user_agent, detail, "
      + "content_request, content_response";
  private static final String INSERT = "INSERT INTO turnpike_request_log (scope, " + COLUMNS + ") VALUES ("
      + "?, ".repeat(34) + "?) ON CONFLICT (scope, id) DO NOTHING";
  private final DataSource pool;
  private final String scope;

  public RequestLogTable(DataSource pool, String scope) {
    this.pool = pool;
    this.scope = scope;
  }

  public void insert(Collection<RequestLogEntry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
        for (RequestLogEntry e : entries) {
          int i = 1;
          statement.setString(i++, scope);
          statement.setString(i++, e.id());
          statement.setLong(i++, e.receivedAt());
          statement.setLong(i++, e.loggedAt());
          statement.setString(i++, e.node());
          statement.setString(i++, e.operation());
          statement.setString(i++, e.virtualKey());
          statement.setString(i++, e.team());
          statement.setString(i++, e.customer());
          statement.setString(i++, e.requestedModel());
          statement.setString(i++, e.provider());
          statement.setString(i++, e.model());
          statement.setString(i++, e.rule());
          statement.setString(i++, e.affinity());
          statement.setInt(i++, e.attempts());
          statement.setInt(i++, e.status());
          statement.setString(i++, e.errorType());
          statement.setString(i++, e.errorMessage());
          statement.setDouble(i++, e.latencyMs());
          if (e.ttftMs() == null) {
            statement.setNull(i++, Types.DOUBLE);
          } else {
            statement.setDouble(i++, e.ttftMs());
          }
          statement.setLong(i++, e.inputTokens());
          statement.setLong(i++, e.outputTokens());
          statement.setLong(i++, e.cacheReadTokens());
          statement.setLong(i++, e.cacheWriteTokens());
          statement.setLong(i++, e.totalTokens());
          statement.setLong(i++, e.costNanoUsd());
          statement.setBoolean(i++, e.stream());
          statement.setString(i++, e.sessionId());
          statement.setString(i++, e.agentId());
          statement.setString(i++, e.requestClass());
          statement.setString(i++, e.clientVersion());
          statement.setString(i++, e.userAgent());
          statement.setString(i++, e.detail().encode());
          statement.setString(i++, e.contentRequest());
          statement.setString(i, e.contentResponse());
          statement.addBatch();
        }
        statement.executeBatch();
        connection.commit();
      } catch (SQLException ex) {
        connection.rollback();
        throw ex;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  /** A page of rows matching the query, and how many match in all. */
  public record Page(List<RequestLogEntry> rows, long total) {}

  public Page list(LogQuery query) throws SQLException {
    String where = where(query);
    String order = " ORDER BY " + query.sortColumn() + (query.descending() ? " DESC" : " ASC")
        + (query.sortColumn().equals("received_at") ? "" : ", received_at DESC") + ", id";
    List<RequestLogEntry> rows = new ArrayList<>();
    long total;
    try (Connection connection = pool.getConnection()) {
      // One snapshot for the page and its total: a batch committed between the two would make them disagree.
      int isolation = connection.getTransactionIsolation();
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
          + " FROM turnpike_request_log" + where + order + " LIMIT ? OFFSET ?")) {
        int next = bind(statement, query);
        statement.setInt(next++, query.limit());
        statement.setInt(next, query.offset());
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            rows.add(read(result));
          }
        }
      }
      try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM turnpike_request_log"
          + where)) {
        bind(statement, query);
        try (ResultSet result = statement.executeQuery()) {
          result.next();
          total = result.getLong(1);
        }
      } finally {
        connection.rollback(); // read only
        connection.setAutoCommit(true);
        connection.setTransactionIsolation(isolation);
      }
    }
    return new Page(rows, total);
  }

  public RequestLogEntry find(String id) throws SQLException {
    try (Connection connection = pool.getConnection();
         PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
             + " FROM turnpike_request_log WHERE scope = ? AND id = ?")) {
      statement.setString(1, scope);
      statement.setString(2, id);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() ? read(result) : null;
      }
    }
  }

  /** Feeds every matching row's grouping and summing columns to {@code stats}, in one pass. */
  public void aggregate(LogQuery query, LogStats stats) throws SQLException {
    try (Connection connection = pool.getConnection();
         PreparedStatement statement = connection.prepareStatement("SELECT " + LogStats.COLUMNS
             + " FROM turnpike_request_log" + where(query))) {
      statement.setFetchSize(1000);
      bind(statement, query);
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          stats.add(result);
        }
      }
    }
  }

  /**
   * Deletes rows received before {@code olderThanMs}, then the oldest beyond {@code maxRows}; answers how many
   * went.
   */
  public int purge(long olderThanMs, long maxRows) throws SQLException {
    int deleted;
    try (Connection connection = pool.getConnection()) {
      try (PreparedStatement statement = connection.prepareStatement(
          "DELETE FROM turnpike_request_log WHERE scope = ? AND received_at < ?")) {
        statement.setString(1, scope);
        statement.setLong(2, olderThanMs);
        deleted = statement.executeUpdate();
      }
      Long cutoff = null;
      try (PreparedStatement statement = connection.prepareStatement("SELECT received_at FROM turnpike_request_log"
          + " WHERE scope = ? ORDER BY received_at DESC LIMIT 1 OFFSET ?")) {
        statement.setString(1, scope);
        statement.setLong(2, maxRows);
        try (ResultSet result = statement.executeQuery()) {
          if (result.next()) {
            cutoff = result.getLong(1);
          }
        }
      }
      if (cutoff != null) {
        try (PreparedStatement statement = connection.prepareStatement(
            "DELETE FROM turnpike_request_log WHERE scope = ? AND received_at <= ?")) {
          statement.setString(1, scope);
          statement.setLong(2, cutoff);
          deleted += statement.executeUpdate();
        }
      }
    }
    return deleted;
  }

  private static String where(LogQuery query) {
    return " WHERE scope = ?" + (query.where().isEmpty() ? "" : " AND " + query.where());
  }

  /** Binds the scope and the query's values; answers the next parameter index. */
  private int bind(PreparedStatement statement, LogQuery query) throws SQLException {
    int i = 1;
    statement.setString(i++, scope);
    for (Object arg : query.args()) {
      if (arg instanceof String s) {
        statement.setString(i++, s);
      } else if (arg instanceof Integer n) {
        statement.setInt(i++, n);
      } else if (arg instanceof Long n) {
        statement.setLong(i++, n);
      } else if (arg instanceof Double d) {
        statement.setDouble(i++, d);
      } else if (arg instanceof Boolean b) {
        statement.setBoolean(i++, b);
      } else {
        throw new IllegalStateException("unexpected query value " + arg);
      }
    }
    return i;
  }

  private static RequestLogEntry read(ResultSet r) throws SQLException {
    double ttft = r.getDouble("ttft_ms");
    Double ttftMs = r.wasNull() ? null : ttft;
    return new RequestLogEntry(r.getString("id"), r.getLong("received_at"), r.getLong("logged_at"),
        r.getString("node"), r.getString("operation"), r.getString("virtual_key"), r.getString("team"),
        r.getString("customer"), r.getString("requested_model"), r.getString("provider"), r.getString("model"),
        r.getString("rule_name"), r.getString("affinity"), r.getInt("attempts"), r.getInt("status"),
        r.getString("error_type"), r.getString("error_message"), r.getDouble("latency_ms"), ttftMs,
        r.getLong("input_tokens"), r.getLong("output_tokens"), r.getLong("cache_read_tokens"),
        r.getLong("cache_write_tokens"), r.getLong("cost_nano_usd"), r.getBoolean("stream"),
        r.getString("session_id"), r.getString("agent_id"), r.getString("request_class"),
        r.getString("client_version"), r.getString("user_agent"), new JsonObject(r.getString("detail")),
        r.getString("content_request"), r.getString("content_response"));
  }
}
