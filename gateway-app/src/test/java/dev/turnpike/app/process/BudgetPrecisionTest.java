package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The budget guarantee across three node processes of one cluster: one virtual key with a $1.00 budget, 300
 * concurrent requests spread over the nodes against an upstream that reports known usage. Spend never passes the
 * budget, every refusal is a 402, all nodes report the same counter, and once the burst is over the budget cannot
 * hold one more request's worst case (what was refused really did not fit).
 */
@Tag("cluster")
class BudgetPrecisionTest {
  private static final HttpClient HTTP = BudgetCluster.HTTP;
  private static final long COST_NANOS = BudgetCluster.COST_NANOS;
  private static BudgetCluster cluster;
  private static List<NodeProcess> NODES;

  @BeforeAll
  static void start() throws Exception {
    cluster = BudgetCluster.start("budget", 40);
    NODES = cluster.nodes();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_never_overspend_nor_refuse_what_the_budget_still_holds_when_three_nodes_share_one_budget()
      throws Exception {
    long worstCase = BudgetCluster.worstCase();
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      burst.add(HTTP.sendAsync(BudgetCluster.request(NODES.get(i % 3)), HttpResponse.BodyHandlers.ofString()));
    }
    int answered = 0;
    int refused = 0;
    for (CompletableFuture<HttpResponse<String>> call : burst) {
      HttpResponse<String> response = call.join();
      if (response.statusCode() == 200) {
        answered++;
      } else {
        assertEquals(402, response.statusCode(), response.body());
        assertTrue(response.body().contains("billing_error"), response.body());
        refused++;
      }
    }
    // After the burst: whatever the budget still holds, sequential requests may spend; the first refusal then
    // must mean less than one worst case is left.
    int after = 0;
    for (int i = 0; i < 300; i++) {
      HttpResponse<String> response = HTTP.send(BudgetCluster.request(NODES.get(i % 3)),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        assertEquals(402, response.statusCode(), response.body());
        break;
      }
      after++;
    }
    Thread.sleep(2_500); // every node commits within its flush interval and gives idle slices back after a second

    long spentNanos = (answered + after) * COST_NANOS;
    System.out.printf("budget precision: %d answered and %d refused in the burst, %d more after it; spent $%.4f of"
        + " $1.00, unused $%.4f, one worst case $%.5f%n", answered, refused, after, spentNanos / 1e9,
        (1_000_000_000L - spentNanos) / 1e9, worstCase / 1e9);
    for (NodeProcess node : NODES) {
      System.out.println("budget precision: node " + node.port() + " reports " + BudgetCluster.budget(node).encode());
    }
    assertTrue(refused > 0, "the burst asked for more than the budget");
    assertTrue(spentNanos <= 1_000_000_000L, "overspent: " + spentNanos);
    assertTrue(1_000_000_000L - spentNanos < worstCase, "left unused: " + (1_000_000_000L - spentNanos));
    for (NodeProcess node : NODES) {
      JsonObject row = BudgetCluster.budget(node);
      assertEquals(spentNanos / 1e9, row.getDouble("spent"), 1e-9, node.port() + ": " + row.encode());
      assertEquals(0.0, row.getDouble("reserved"), 1e-9, "nothing stays reserved: " + row.encode());
    }
    assertEquals(answered + after, cluster.upstream().requests().size(),
        "every admitted request reached the upstream once");
  }
}
