package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.turnpike.governance.store.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every node of a cluster stops, and the cluster starts again on the same store: the spend recorded before is
 * still there (the exhausted budget still refuses), and so are a rule set and a virtual key made through the admin
 * API. Once with
 * the embedded store and a graceful stop, once with PostgreSQL and {@code kill -9} of every node.
 */
@Tag("cluster")
class StoreRestartTest {
  /** Room for five requests' worst case ($0.00506 each) but not a sixth once five cost $0.005 each. */
  private static final double BUDGET_USD = 0.026;
  private static final double FIVE_REQUESTS_USD = 5 * BudgetCluster.COST_NANOS / 1e9;
  @TempDir
  Path dataDir;
  private String schema;
  private BudgetCluster cluster;
  private String madeKey;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    TestStores.dropSchema(schema);
  }

  @Test
  void should_keep_spend_and_rules_across_a_graceful_restart_of_every_node_on_the_embedded_store() throws Exception {
    cluster = BudgetCluster.start("restart-embedded", 0, BUDGET_USD, 2,
        new JsonObject().put("kind", "embedded").put("data_dir", dataDir.toString()));
    spendTheBudgetAndChangeTheRules();
    cluster.stopAll();
    cluster.startNodes();
    assertSpendAndRulesAreBack();
  }

  @Test
  void should_keep_spend_and_rules_after_every_node_is_killed_on_postgres() throws Exception {
    schema = TestStores.freshPostgresSchema();
    cluster = BudgetCluster.start("restart-postgres", 0, BUDGET_USD, 2,
        new JsonObject().put("kind", "postgres").put("url", TestStores.postgresUrl(schema)));
    spendTheBudgetAndChangeTheRules();
    awaitWrittenToPostgres(); // what a crash can lose is the last write delay: wait until it is out of it
    cluster.killAll();
    cluster.startNodes();
    assertSpendAndRulesAreBack();
  }

  private void spendTheBudgetAndChangeTheRules() throws Exception {
    NodeProcess a = cluster.nodes().get(0);
    NodeProcess b = cluster.nodes().get(1);
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> answer = send(i % 2 == 0 ? a : b);
      assertEquals(200, answer.statusCode(), answer.body());
    }
    assertEquals(402, send(a).statusCode(), "the sixth request does not fit");
    HttpResponse<String> put = a.send(HttpRequest.newBuilder(a.uri("/api/admin/routing-rules"))
        .header("authorization", "Bearer " + BudgetCluster.ADMIN)
        .PUT(HttpRequest.BodyPublishers.ofString(rules().encode())));
    assertEquals(200, put.statusCode(), put.body());
    HttpResponse<String> made = IdentityClusterTest.admin(b, "POST", "/api/admin/virtual-keys",
        new JsonObject().put("id", "vk-made"));
    assertEquals(201, made.statusCode(), made.body());
    madeKey = new JsonObject(made.body()).getString("value");
    assertEquals(200, send(a, madeKey).statusCode());
    // Both nodes have committed what they spent (they commit every 200 ms) before the cluster goes.
    awaitSpent(a, FIVE_REQUESTS_USD);
  }

  private void assertSpendAndRulesAreBack() throws Exception {
    for (NodeProcess node : cluster.nodes()) {
      JsonObject budget = BudgetCluster.budget(node);
      assertEquals(FIVE_REQUESTS_USD, budget.getDouble("spent"), 1e-9, "spend is back on " + node + ": " + budget);
      HttpResponse<String> refused = send(node);
      assertEquals(402, refused.statusCode(), "the exhausted budget still refuses: " + refused.body());
      HttpResponse<String> current = node.send(HttpRequest.newBuilder(node.uri("/api/admin/routing-rules"))
          .header("authorization", "Bearer " + BudgetCluster.ADMIN).GET());
      assertEquals(rules().getJsonArray("routing_rules").getJsonObject(0).getString("name"),
          new JsonObject(current.body()).getJsonArray("routing_rules").getJsonObject(0).getString("name"),
          "the rule set changed at run time is back: " + current.body());
      assertEquals(200, send(node, madeKey).statusCode(), "the key made through the admin API still works");
    }
  }

  private HttpResponse<String> send(NodeProcess node) throws Exception {
    return send(node, "tp-team");
  }

  private static HttpResponse<String> send(NodeProcess node, String key) throws Exception {
    return node.send(HttpRequest.newBuilder(node.uri("/anthropic/v1/messages")).timeout(Duration.ofSeconds(60))
        .headers("x-api-key", key, "anthropic-version", "2023-06-01", "content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BudgetCluster.body())));
  }

  private static JsonObject rules() {
    return new JsonObject().put("routing_rules", new JsonArray().add(new JsonObject()
        .put("name", "stored haiku rule").put("cel_expression", "model == 'claude-stored'")
        .put("targets", new JsonArray().add(new JsonObject().put("provider", "anthropic")
            .put("model", "claude-haiku-4-5")))));
  }

  private static void awaitSpent(NodeProcess node, double usd) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonObject budget = BudgetCluster.budget(node);
    while (Math.abs(budget.getDouble("spent") - usd) > 1e-9 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      budget = BudgetCluster.budget(node);
    }
    assertEquals(usd, budget.getDouble("spent"), 1e-9, budget.encode());
  }

  /** Polls the store itself until it holds the five requests' spend, the rule set and the made key. */
  private void awaitWrittenToPostgres() throws Exception {
    long want = 5 * BudgetCluster.COST_NANOS;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String seen = "";
    try (Connection connection = DriverManager.getConnection(TestStores.postgresUrl(schema));
         PreparedStatement query = connection.prepareStatement("SELECT map_name, entry_key, entry_value "
             + "FROM turnpike_entries WHERE (map_name = 'turnpike.counters' AND entry_key LIKE 'vk/vk-team/budget/1d%') "
             + "OR map_name = 'turnpike.routing-rules' OR (map_name = 'turnpike.identities' AND entry_key = 'vk/vk-made')")) {
      while (System.nanoTime() < deadline) {
        boolean spent = false;
        boolean rules = false;
        boolean key = false;
        StringBuilder rows = new StringBuilder();
        try (ResultSet found = query.executeQuery()) {
          while (found.next()) {
            String map = found.getString(1);
            rows.append(map).append(' ').append(found.getString(2)).append('\n');
            spent |= map.equals("turnpike.counters") && new JsonObject(found.getString(3)).getLong("spent") == want;
            rules |= map.equals("turnpike.routing-rules");
            key |= map.equals("turnpike.identities");
          }
        }
        if (spent && rules && key) {
          return;
        }
        seen = rows.toString();
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the store does not hold the spend, rules and key yet:\n" + seen);
  }
}
