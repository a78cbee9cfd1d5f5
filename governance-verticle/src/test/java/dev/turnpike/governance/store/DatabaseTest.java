package dev.turnpike.governance.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir
  Path dir;
  private String schema;

  @AfterEach
  void dropSchema() {
    TestStores.dropSchema(schema);
  }

  @Test
  void should_apply_the_schema_once_when_eight_nodes_open_an_embedded_store_together() throws Exception {
    StoreSettings settings = TestStores.embedded(dir);
    assertMigratedOnce(settings, "jdbc:sqlite:" + dir.resolve("turnpike.db"));
  }

  @Test
  void should_apply_the_schema_once_when_eight_nodes_open_a_postgres_store_together() throws Exception {
    schema = TestStores.freshPostgresSchema();
    assertMigratedOnce(TestStores.postgres(schema), TestStores.postgresUrl(schema));
  }

  @Test
  void should_keep_rows_by_scope_map_and_key_and_never_load_expired_ones_embedded() throws Exception {
    assertRows(TestStores.embedded(dir));
  }

  @Test
  void should_keep_rows_by_scope_map_and_key_and_never_load_expired_ones_postgres() throws Exception {
    schema = TestStores.freshPostgresSchema();
    assertRows(TestStores.postgres(schema));
  }

  @Test
  void should_fail_with_the_store_named_and_no_password_when_it_cannot_connect() {
    StoreSettings settings = new StoreSettings(StoreSettings.Kind.POSTGRES,
        "jdbc:postgresql://127.0.0.1:1/test?password=hunter2", null, "u", "hunter2", 1, 1);
    Database.StoreException error = assertThrows(Database.StoreException.class,
        () -> Database.open(settings, "n1"));
    assertTrue(error.getMessage().contains("127.0.0.1:1"), error.getMessage());
    assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
  }

  private static void assertMigratedOnce(StoreSettings settings, String directUrl) throws Exception {
    int nodes = 8;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Database>> opened = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      String node = "node-" + i;
      opened.add(pool.submit(() -> {
        go.await();
        return Database.open(settings, node);
      }));
    }
    go.countDown();
    for (Future<Database> database : opened) {
      database.get().close(); // each open succeeded: none tripped over another's half-done schema
    }
    pool.shutdown();
    try (Connection connection = DriverManager.getConnection(directUrl);
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(
             "SELECT version, COUNT(*) FROM turnpike_schema GROUP BY version ORDER BY version")) {
      List<Integer> versions = new ArrayList<>();
      while (rows.next()) {
        versions.add(rows.getInt(1));
        assertEquals(1, rows.getInt(2), "version " + rows.getInt(1) + " recorded once");
      }
      assertEquals(Migrations.STEPS.stream().map(Migrations.Step::version).toList(), versions);
    }
  }

  private static void assertRows(StoreSettings settings) throws Exception {
    try (Database database = Database.open(settings, "n1")) {
      EntryTable table = database.entries();
      long now = System.currentTimeMillis();
      table.upsert("cluster-a", "m", List.of(new EntryTable.Row("k1", "{\"v\":1}", null),
          new EntryTable.Row("k2", "{\"v\":2}", now + 60_000), new EntryTable.Row("old", "{}", now - 1)));
      table.upsert("cluster-b", "m", List.of(new EntryTable.Row("k1", "{\"other\":true}", null)));
      table.upsert("cluster-a", "m", List.of(new EntryTable.Row("k1", "{\"v\":3}", null)));

      assertEquals(List.of("k1", "k2"), table.keys("cluster-a", "m").stream().sorted().toList());
      Map<String, EntryTable.Row> rows = table.load("cluster-a", "m", List.of("k1", "k2", "old", "absent"));
      assertEquals("{\"v\":3}", rows.get("k1").value(), "the upsert replaced the row");
      assertNull(rows.get("k1").expiresAtMs());
      assertEquals(now + 60_000, rows.get("k2").expiresAtMs());
      assertFalse(rows.containsKey("old"), "an expired row is never loaded");
      assertEquals("{\"other\":true}", table.load("cluster-b", "m", List.of("k1")).get("k1").value());

      assertEquals(1, table.purgeExpired());
      table.delete("cluster-a", "m", List.of("k2"));
      assertEquals(List.of("k1"), table.keys("cluster-a", "m"));
    }
  }
}
