package dev.turnpike.governance.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code turnpike_entries}: one row per entry of a durable map, by scope (the cluster's name, so clusters sharing
 * one database keep apart), map and key. Values are JSON text; an entry with a time to live carries when it ends,
 * and rows past it are never loaded.
 */
public final class EntryTable {
  /** One entry as stored; {@code expiresAtMs} is null for an entry that lives until deleted. */
  public record Row(String key, String value, Long expiresAtMs) {}

  private static final String UPSERT = """
      INSERT INTO turnpike_entries (scope, map_name, entry_key, entry_value, expires_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (scope, map_name, entry_key)
      DO UPDATE SET entry_value = excluded.entry_value, expires_at = excluded.expires_at,
                    updated_at = excluded.updated_at""";
  private static final String LIVE = "(expires_at IS NULL OR expires_at > ?)";
  private static final int CHUNK = 500;
  private final DataSource pool;

  EntryTable(DataSource pool) {
    this.pool = pool;
  }

  public void upsert(String scope, String map, Collection<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
        for (Row row : rows) {
          statement.setString(1, scope);
          statement.setString(2, map);
          statement.setString(3, row.key());
          statement.setString(4, row.value());
          if (row.expiresAtMs() == null) {
            statement.setNull(5, Types.BIGINT);
          } else {
            statement.setLong(5, row.expiresAtMs());
          }
          statement.setLong(6, now);
          statement.addBatch();
        }
        statement.executeBatch();
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  public void delete(String scope, String map, Collection<String> keys) throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    try (Connection connection = pool.getConnection();
         PreparedStatement statement = connection.prepareStatement(
             "DELETE FROM turnpike_entries WHERE scope = ? AND map_name = ? AND entry_key = ?")) {
      for (String key : keys) {
        statement.setString(1, scope);
        statement.setString(2, map);
        statement.setString(3, key);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** The keys of the map's live rows. */
  public List<String> keys(String scope, String map) throws SQLException {
    List<String> keys = new ArrayList<>();
    try (Connection connection = pool.getConnection();
         PreparedStatement statement = connection.prepareStatement(
             "SELECT entry_key FROM turnpike_entries WHERE scope = ? AND map_name = ? AND " + LIVE)) {
      statement.setString(1, scope);
      statement.setString(2, map);
      statement.setLong(3, System.currentTimeMillis());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          keys.add(rows.getString(1));
        }
      }
    }
    return keys;
  }

  /** The live rows among {@code keys} (absent keys are left out). */
  public Map<String, Row> load(String scope, String map, Collection<String> keys) throws SQLException {
    Map<String, Row> found = new HashMap<>();
    List<String> all = new ArrayList<>(keys);
    try (Connection connection = pool.getConnection()) {
      for (int from = 0; from < all.size(); from += CHUNK) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
        String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
        try (PreparedStatement statement = connection.prepareStatement("SELECT entry_key, entry_value, expires_at "
            + "FROM turnpike_entries WHERE scope = ? AND map_name = ? AND " + LIVE + " AND entry_key IN (" + marks + ")")) {
          statement.setString(1, scope);
          statement.setString(2, map);
          statement.setLong(3, System.currentTimeMillis());
          for (int i = 0; i < chunk.size(); i++) {
            statement.setString(4 + i, chunk.get(i));
          }
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              long expires = rows.getLong(3);
              Long expiresAt = rows.wasNull() ? null : expires;
              found.put(rows.getString(1), new Row(rows.getString(1), rows.getString(2), expiresAt));
            }
          }
        }
      }
    }
    return found;
  }

  /** Deletes rows whose time ended (windows long closed); answers how many. */
  public int purgeExpired() throws SQLException {
    try (Connection connection = pool.getConnection();
         PreparedStatement statement = connection.prepareStatement(
             "DELETE FROM turnpike_entries WHERE expires_at IS NOT NULL AND expires_at <= ?")) {
      statement.setLong(1, System.currentTimeMillis());
      return statement.executeUpdate();
    }
  }
}
