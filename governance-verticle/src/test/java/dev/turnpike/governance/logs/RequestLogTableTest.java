package dev.turnpike.governance.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.governance.store.Database;
import dev.turnpike.governance.store.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request log's table on SQLite and PostgreSQL alike: the stats of two nodes' rows merged equal the stats of
 * all rows in one table (what the fan-out relies on), retention by age and by count, a filter's value is never
 * SQL, and one scope never sees another's rows.
 */
class RequestLogTableTest {
  @TempDir
  Path dir;
  private final List<String> schemas = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    schemas.forEach(TestStores::dropSchema);
  }

  private static RequestLogEntry entry(String id, long receivedAt, String key, double latencyMs, long input,
                                       long costNanos) {
    return new RequestLogEntry(id, receivedAt, receivedAt, "node", "messages", key, "team", null, "m", "p", "m",
        null, null, 1, 200, null, null, latencyMs, null, input, 1, 0, 0, costNanos, false, "s", null, null, null,
        null, new JsonObject().put("attempt_list", new JsonArray()), null, null);
  }

  private Database open(String name, String kind) {
    if (kind.equals("postgres")) {
      String schema = TestStores.freshPostgresSchema();
      schemas.add(schema);
      return Database.open(TestStores.postgres(schema), "test", name, true);
    }
    return Database.open(TestStores.embedded(dir.resolve(name)), "test", name, false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "postgres"})
  void should_merge_two_nodes_stats_into_what_one_table_of_all_rows_gives(String kind) throws Exception {
    Random random = new Random(42);
    List<RequestLogEntry> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      rows.add(entry("r" + i, 1_000_000 + i, "vk-" + (i % 3), Math.exp(random.nextGaussian() * 2 + 3),
          random.nextInt(1000), random.nextInt(100_000)));
    }
    try (Database one = open("one", kind); Database a = open("a", kind); Database b = open("b", kind)) {
      RequestLogTable all = new RequestLogTable(one.dataSource(), "scope");
      RequestLogTable nodeA = new RequestLogTable(a.dataSource(), "scope");
      RequestLogTable nodeB = new RequestLogTable(b.dataSource(), "scope");
      all.insert(rows);
      nodeA.insert(rows.subList(0, 150));
      nodeB.insert(rows.subList(150, 400));
      LogQuery query = LogQuery.parse(Map.of());
      for (LogStats.GroupBy groupBy : List.of(LogStats.GroupBy.VIRTUAL_KEY, LogStats.GroupBy.MINUTE)) {
        LogStats whole = new LogStats(groupBy);
        all.aggregate(query, whole);
        LogStats partA = new LogStats(groupBy);
        nodeA.aggregate(query, partA);
        LogStats partB = new LogStats(groupBy);
        nodeB.aggregate(query, partB);
        LogStats merged = new LogStats(groupBy);
        merged.merge(partA.toPartial());
        merged.merge(partB.toPartial());
        assertEquals(whole.toJson(), merged.toJson(), groupBy.name());
      }
      // The percentiles are the bucket bounds of the true ones: within 5% above.
      LogStats whole = new LogStats(LogStats.GroupBy.VIRTUAL_KEY);
      all.aggregate(LogQuery.parse(Map.of("virtual_key", "vk-0")), whole);
      double[] latencies = rows.stream().filter(r -> r.virtualKey().equals("vk-0"))
          .mapToDouble(RequestLogEntry::latencyMs).sorted().toArray();
      JsonObject p = whole.toJson().getJsonObject(0).getJsonObject("latency_ms");
      for (Map.Entry<String, Double> q : Map.of("p50", 0.5, "p90", 0.9, "p99", 0.99).entrySet()) {
        double exact = latencies[(int) Math.ceil(q.getValue() * latencies.length) - 1];
        double shown = p.getDouble(q.getKey());
        assertTrue(shown >= exact - 0.001 && shown <= exact * 1.05 + 0.001, q.getKey() + " " + shown + " vs " + exact);
      }
      // Duplicates (a retried batch) are kept once.
      all.insert(rows.subList(0, 10));
      assertEquals(400, all.list(query).total());
    }
  }

  @Test
  void should_purge_by_age_then_by_count_and_keep_scopes_apart() throws Exception {
    try (Database db = open("purge", "embedded")) {
      RequestLogTable table = new RequestLogTable(db.dataSource(), "mine");
      RequestLogTable other = new RequestLogTable(db.dataSource(), "theirs");
      List<RequestLogEntry> rows = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        rows.add(entry("r" + i, 1_000 + i * 10L, "vk", 1.0, 1, 1));
      }
      table.insert(rows);
      other.insert(rows);
      assertEquals(5, table.purge(1_050, 1_000), "five received before 1050");
      assertEquals(15, table.list(LogQuery.parse(Map.of())).total());
      assertEquals(10, table.purge(0, 5), "the oldest beyond five");
      RequestLogTable.Page left = table.list(LogQuery.parse(Map.of("sort", "time", "order", "asc")));
      assertEquals(5, left.total());
      assertEquals("r15", left.rows().get(0).id());
      assertEquals(20, other.list(LogQuery.parse(Map.of())).total(), "another cluster's rows untouched");
      assertNull(table.find("r0"));
      assertEquals("r0", other.find("r0").id());
    }
  }

  @Test
  void should_treat_a_filter_value_as_data_never_as_sql() throws Exception {
    try (Database db = open("injection", "embedded")) {
      RequestLogTable table = new RequestLogTable(db.dataSource(), "s");
      table.insert(List.of(entry("r1", 1, "vk", 1.0, 1, 1)));
      for (String value : List.of("' OR '1'='1", "vk' --", "vk\"; DROP TABLE turnpike_request_log; --")) {
        assertEquals(0, table.list(LogQuery.parse(Map.of("virtual_key", value))).total(), value);
      }
      assertEquals(1, table.list(LogQuery.parse(Map.of("virtual_key", "vk"))).total());
      assertThrows(IllegalArgumentException.class, () -> LogQuery.parse(Map.of("sort", "id; DROP TABLE x")));
      assertEquals(0, Stream.of("limit", "offset").filter(p -> {
        try {
          LogQuery.parse(Map.of(p, "1 OR 1=1"));
          return true;
        } catch (IllegalArgumentException e) {
          return false;
        }
      }).count(), "paging takes whole numbers only");
    }
  }
}
