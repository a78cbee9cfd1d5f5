package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
  private static final String ADMIN = "admin-" + UUID.randomUUID();
  /** claude-haiku-4-5 at $1 in, $5 out, $1.25 cache write per MTok: 1,000 in and 800 out cost exactly $0.005. */
  private static final long COST_NANOS = 1_000 * 1_000L + 800 * 5_000L;
  private static final int MAX_TOKENS = 1_000;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private static Vertx vertx;
  private static FakeAnthropicUpstream upstream;
  private static final List<NodeProcess> NODES = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = new FakeAnthropicUpstream(vertx)
        .script(r -> Reply.text("ok").withUsage(1_000, 800).withFaults(Faults.none().delayFirstByte(40)))
        .start().await();
    JsonObject config = new JsonObject()
        .put("cluster", new JsonObject().put("enabled", true))
        .put("admin", new JsonObject().put("token", ADMIN))
        .put("server", new JsonObject().put("max_in_flight", 1000))
        .put("providers", new JsonObject().put("anthropic", new JsonObject().put("dialect", "anthropic")
            .put("base_url", upstream.baseUrl()).put("keys", new JsonArray().add(new JsonObject().put("value", "sk-up")))))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true)
            .put("virtual_keys", new JsonArray().add(new JsonObject().put("id", "vk-team").put("value", "tp-team")
                .put("budget", new JsonObject().put("max_usd", 1.00).put("reset", "1d")))));
    Map<String, String> env = Map.of("TURNPIKE_CLUSTER_NAME", "budget-test-" + UUID.randomUUID());
    for (String name : List.of("budget-a", "budget-b", "budget-c")) {
      NODES.add(NodeProcess.start(name, config, List.of(), env));
    }
    awaitMembers(3);
  }

  @AfterAll
  static void stop() throws Exception {
    for (NodeProcess node : NODES) {
      node.close();
    }
    vertx.close().await();
  }

  private static void awaitMembers(int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (NODES.stream().allMatch(n -> n.log().contains("Members {size:" + count))) {
        return;
      }
      Thread.sleep(100);
    }
    StringBuilder logs = new StringBuilder();
    NODES.forEach(n -> logs.append(n.logTail()));
    throw new AssertionError("no cluster of " + count + "\n" + logs);
  }

  private static String body() {
    return new JsonObject().put("model", "claude-haiku-4-5").put("max_tokens", MAX_TOKENS)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "count to three")))
        .encode();
  }

  private static HttpRequest request(NodeProcess node) {
    return HttpRequest.newBuilder(node.uri("/anthropic/v1/messages")).timeout(Duration.ofSeconds(60))
        .header("x-api-key", "tp-team").header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body())).build();
  }

  /** The budget's row of a node's usage report: spent, reserved and remaining in USD. */
  private static JsonObject budget(NodeProcess node) throws Exception {
    HttpResponse<String> usage = node.send(HttpRequest.newBuilder(node.uri("/api/admin/usage"))
        .header("authorization", "Bearer " + ADMIN).GET());
    assertEquals(200, usage.statusCode(), usage.body());
    for (Object row : new JsonObject(usage.body()).getJsonArray("limits")) {
      if (((JsonObject) row).getString("id").equals("vk/vk-team/budget/1d")) {
        return (JsonObject) row;
      }
    }
    throw new AssertionError("no budget row in " + usage.body());
  }

  @Test
  void should_never_overspend_nor_refuse_what_the_budget_still_holds_when_three_nodes_share_one_budget()
      throws Exception {
    long worstCase = (body().length() + 2) / 3 * 1_250L + MAX_TOKENS * 5_000L;
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      burst.add(HTTP.sendAsync(request(NODES.get(i % 3)), HttpResponse.BodyHandlers.ofString()));
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
      HttpResponse<String> response = HTTP.send(request(NODES.get(i % 3)), HttpResponse.BodyHandlers.ofString());
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
      System.out.println("budget precision: node " + node.port() + " reports " + budget(node).encode());
    }
    assertTrue(refused > 0, "the burst asked for more than the budget");
    assertTrue(spentNanos <= 1_000_000_000L, "overspent: " + spentNanos);
    assertTrue(1_000_000_000L - spentNanos < worstCase, "left unused: " + (1_000_000_000L - spentNanos));
    for (NodeProcess node : NODES) {
      JsonObject row = budget(node);
      assertEquals(spentNanos / 1e9, row.getDouble("spent"), 1e-9, node.port() + ": " + row.encode());
      assertEquals(0.0, row.getDouble("reserved"), 1e-9, "nothing stays reserved: " + row.encode());
    }
    assertEquals(answered + after, upstream.requests().size(), "every admitted request reached the upstream once");
  }
}
