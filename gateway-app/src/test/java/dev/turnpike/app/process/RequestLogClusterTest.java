package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two nodes in their own JVMs, each with its own embedded request log: a query to either node asks both over the
 * clustered event bus and merges (rows, totals, stats, one request); a node that is gone is named as missing and
 * the answer still comes from the others.
 */
class RequestLogClusterTest {

  @Test
  void should_answer_for_every_node_from_any_node_and_name_a_node_that_is_gone() throws Exception {
    try (BudgetCluster cluster = BudgetCluster.start("logs", 0, 1_000.0, 2, null,
        config -> config.put("request_log", new JsonObject().put("batch_ms", 50)))) {
      NodeProcess a = cluster.nodes().get(0);
      NodeProcess b = cluster.nodes().get(1);
      Set<String> fromA = new HashSet<>();
      Set<String> fromB = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        fromA.add(send(a, "sess-a"));
      }
      for (int i = 0; i < 2; i++) {
        fromB.add(send(b, "sess-b"));
      }
      Set<String> everyone = new HashSet<>(fromA);
      everyone.addAll(fromB);

      for (NodeProcess asked : List.of(a, b)) {
        JsonObject page = awaitTotal(asked, "", 5);
        assertEquals(everyone, ids(page), "node " + asked.port() + " answers for both");
        JsonObject nodes = page.getJsonObject("nodes");
        assertEquals(2, nodes.getInteger("asked"));
        assertEquals(2, nodes.getInteger("answered"));
      }
      // Paging across the merge: no row twice, none lost.
      List<String> paged = new ArrayList<>();
      for (int offset = 0; offset < 5; offset += 2) {
        ids(json(a, "/api/logs?limit=2&offset=" + offset)).forEach(paged::add);
      }
      assertEquals(5, paged.size());
      assertEquals(everyone, Set.copyOf(paged));

      JsonArray bySession = json(a, "/api/logs/stats?group_by=session").getJsonArray("groups");
      assertEquals(3L, requests(bySession, "sess-a"));
      assertEquals(2L, requests(bySession, "sess-b"));
      JsonObject sessB = bySession.stream().map(g -> (JsonObject) g)
          .filter(g -> g.getString("key").equals("sess-b")).findFirst().orElseThrow();
      assertEquals(2 * 1_000L, sessB.getLong("input_tokens"), "the fake reports 1000 input tokens a request");
      assertEquals(2 * 800L, sessB.getLong("output_tokens"));

      String onB = fromB.iterator().next();
      JsonObject one = json(a, "/api/logs/" + onB);
      assertEquals(onB, one.getString("id"));
      assertEquals("sess-b", one.getString("session_id"));

      b.close(); // SIGKILL: its rows are out of reach, not the others'
      JsonObject page = json(a, "/api/logs?limit=100");
      assertEquals(fromA, ids(page));
      JsonObject nodes = page.getJsonObject("nodes");
      assertEquals(1, nodes.getInteger("answered"));
      assertEquals(nodes.getInteger("asked") - 1, nodes.getJsonArray("missing").size(),
          "a node still listed as a member but silent is named; one already removed is not asked");
      assertEquals(404, a.send(HttpRequest.newBuilder(a.uri("/api/logs/" + onB))
          .header("authorization", "Bearer " + BudgetCluster.ADMIN).GET()).statusCode());
    }
  }

  private static String send(NodeProcess node, String session) throws Exception {
    HttpResponse<String> response = node.send(HttpRequest.newBuilder(node.uri("/anthropic/v1/messages"))
        .header("x-api-key", "tp-team").header("anthropic-version", "2023-06-01")
        .header("x-claude-code-session-id", session)
        .POST(HttpRequest.BodyPublishers.ofString(BudgetCluster.body())));
    assertEquals(200, response.statusCode(), response.body());
    return response.headers().firstValue("x-turnpike-request-id").orElseThrow();
  }

  private static JsonObject json(NodeProcess node, String path) throws Exception {
    HttpResponse<String> response = node.send(HttpRequest.newBuilder(node.uri(path))
        .header("authorization", "Bearer " + BudgetCluster.ADMIN).GET());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return new JsonObject(response.body());
  }

  private static JsonObject awaitTotal(NodeProcess node, String query, int total) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonObject page = null;
    while (System.nanoTime() < deadline) {
      page = json(node, "/api/logs?limit=100" + query);
      if (page.getLong("total") == total && page.getJsonArray("data").size() == total) {
        return page;
      }
      Thread.sleep(100);
    }
    fail("expected " + total + " records from node " + node.port() + ", got " + page);
    return null;
  }

  private static Set<String> ids(JsonObject page) {
    Set<String> out = new HashSet<>();
    page.getJsonArray("data").forEach(row -> out.add(((JsonObject) row).getString("id")));
    return out;
  }

  private static long requests(JsonArray groups, String key) {
    return groups.stream().map(g -> (JsonObject) g).filter(g -> g.getString("key").equals(key)).findFirst()
        .map(g -> g.getLong("requests")).orElse(0L);
  }
}
