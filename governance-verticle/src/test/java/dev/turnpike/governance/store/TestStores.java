package dev.turnpike.governance.store;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Stores for tests: an embedded file in a temporary directory, or a fresh schema of the local PostgreSQL
 * (127.0.0.1:5432, database {@code test}, trust auth; {@code TURNPIKE_TEST_PG_URL} points elsewhere). Where no
 * PostgreSQL answers, its tests are skipped, visibly.
 */
public final class TestStores {
  private TestStores() {}

  public static String postgresBaseUrl() {
    String url = System.getenv("TURNPIKE_TEST_PG_URL");
    return url != null && !url.isBlank() ? url : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  }

  /** A new, empty schema; the caller drops it with {@link #dropSchema}. Skips the test when PostgreSQL is absent. */
  public static String freshPostgresSchema() {
    String schema = "turnpike_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection connection = DriverManager.getConnection(postgresBaseUrl());
         Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      Assumptions.abort("PostgreSQL is not reachable at " + postgresBaseUrl() + ": " + e.getMessage());
    }
    return schema;
  }

  public static String postgresUrl(String schema) {
    String base = postgresBaseUrl();
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  public static void dropSchema(String schema) {
    if (schema == null) {
      return;
    }
    try (Connection connection = DriverManager.getConnection(postgresBaseUrl());
         Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException ignored) {
      // best effort: a leftover schema holds only test rows
    }
  }

  public static StoreSettings embedded(Path dir) {
    return settings(new JsonObject().put("kind", "embedded").put("data_dir", dir.toString()));
  }

  public static StoreSettings postgres(String schema) {
    return settings(new JsonObject().put("kind", "postgres").put("url", postgresUrl(schema)));
  }

  private static StoreSettings settings(JsonObject store) {
    List<String> problems = new ArrayList<>();
    StoreSettings settings = StoreSettings.fromConfig(store, null, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.toString());
    }
    return settings;
  }
}
