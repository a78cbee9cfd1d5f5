package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import dev.turnpike.governance.store.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * With the cluster's store on PostgreSQL the request log is one table: each node writes its rows there, and any
 * node answers for all of them without asking the others. Skipped, visibly, where no PostgreSQL answers on
 * 127.0.0.1:5432.
 */
class RequestLogPostgresTest {

  @Test
  void should_write_every_node_to_postgres_and_answer_for_all_from_any() throws Exception {
    String schema = TestStores.freshPostgresSchema();
    Vertx fakes = Vertx.vertx();
    try {
      FakeAnthropicUpstream upstream = new FakeAnthropicUpstream(fakes)
          .script(r -> Reply.text("from postgres land").withUsage(40, 9)).start().await();
      JsonObject config = new JsonObject()
          .put("store", new JsonObject().put("kind", "postgres").put("url", TestStores.postgresUrl(schema)))
          .put("request_log", new JsonObject().put("batch_ms", 50))
          .put("providers", new JsonObject()
              .put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), "sk-up")));
      try (GatewayHarness first = GatewayHarness.start(config); GatewayHarness second = GatewayHarness.start(config)) {
        Set<String> sent = new HashSet<>();
        sent.add(send(first, "sess-pg"));
        sent.add(send(first, "sess-pg"));
        sent.add(send(second, "sess-pg"));

        JsonObject page = awaitTotal(second, 3);
        Set<String> listed = new HashSet<>();
        page.getJsonArray("data").forEach(row -> listed.add(((JsonObject) row).getString("id")));
        assertEquals(sent, listed, "the second node lists the first's rows too");
        assertEquals(1, page.getJsonObject("nodes").getInteger("asked"), "a shared store needs no fan-out");
        JsonArray groups = get(first, "/api/logs/stats?group_by=session").getJsonArray("groups");
        assertEquals(3L, groups.getJsonObject(0).getLong("requests"));
        assertEquals(120L, groups.getJsonObject(0).getLong("input_tokens"));

        try (Connection connection = DriverManager.getConnection(TestStores.postgresUrl(schema));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                 "SELECT COUNT(DISTINCT node), COUNT(*), SUM(output_tokens) FROM turnpike_request_log")) {
          assertTrue(rows.next());
          assertEquals(2, rows.getInt(1), "both nodes wrote");
          assertEquals(3, rows.getInt(2));
          assertEquals(27, rows.getLong(3));
        }
      }
    } finally {
      fakes.close().await();
      TestStores.dropSchema(schema);
    }
  }

  private static String send(GatewayHarness node, String session) throws Exception {
    String body = new JsonObject().put("model", "claude-haiku-4-5").put("max_tokens", 32)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    HttpResponse<String> response = node.post("/anthropic/v1/messages", body, Map.of("x-api-key", "sk-client",
        "content-type", "application/json", "x-claude-code-session-id", session));
    assertEquals(200, response.statusCode(), response.body());
    return response.headers().firstValue("x-turnpike-request-id").orElseThrow();
  }

  private static JsonObject get(GatewayHarness node, String path) throws Exception {
    HttpResponse<String> response = node.http().send(HttpRequest.newBuilder(URI.create(node.url(path)))
        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static JsonObject awaitTotal(GatewayHarness node, int total) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonObject page = null;
    while (System.nanoTime() < deadline) {
      page = get(node, "/api/logs?limit=100");
      if (page.getLong("total") == total) {
        return page;
      }
      Thread.sleep(50);
    }
    fail("expected " + total + " records, got " + page);
    return null;
  }
}
