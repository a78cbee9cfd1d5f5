package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A node cut off from its cluster's majority ({@code cluster.min_members: 2}, the other of two nodes killed): the
 * shared counters refuse to answer it, so a {@code closed} budget refuses with 503, an {@code open} one spends only
 * what the node holds; when a node joins again the counters answer, closed budgets work again and what the open
 * budget spent meanwhile is counted, none of it lost.
 */
@Tag("cluster")
class PartitionTest {
  private BudgetCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_refuse_closed_budgets_and_spend_only_the_held_slice_of_open_ones_away_from_the_majority()
      throws Exception {
    cluster = BudgetCluster.start("partition", 0, 100, 2, null, config -> {
      config.getJsonObject("cluster").put("min_members", 2);
      config.getJsonObject("governance").getJsonArray("virtual_keys").add(new JsonObject().put("id", "vk-open")
          .put("value", "tp-open").put("budget", new JsonObject().put("max_usd", 100).put("reset", "1d")
              .put("on_partition", "open")));
    });
    NodeProcess a = cluster.nodes().get(0);
    NodeProcess b = cluster.nodes().get(1);
    assertEquals(200, call(a, "tp-team").statusCode());

    // The open key keeps a's slice in use throughout, as a busy developer would.
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger openAnswered = new AtomicInteger();
    AtomicInteger openRefused = new AtomicInteger();
    AtomicInteger openOther = new AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<String> openRefusal = new java.util.concurrent.atomic.AtomicReference<>();
    Thread openLoad = new Thread(() -> {
      while (running.get()) {
        try {
          HttpResponse<String> answer = call(a, "tp-open");
          int status = answer.statusCode();
          if (status == 503) {
            openRefusal.compareAndSet(null, answer.body());
          }
          (status == 200 ? openAnswered : status == 503 ? openRefused : openOther).incrementAndGet();
          Thread.sleep(20);
        } catch (Exception e) {
          openOther.incrementAndGet();
        }
      }
    });
    openLoad.start();
    Thread.sleep(500);
    int logBeforeKill = a.log().length();
    int answeredBefore = openAnswered.get();
    b.close(); // kill -9: a is now a cluster of one, below min_members
    awaitLog(a, "Members {size:1", logBeforeKill);

    HttpResponse<String> closed = awaitStatus(a, "tp-team", 503, Duration.ofSeconds(20));
    assertTrue(closed.headers().firstValue("retry-after").isPresent(), closed.headers().map().toString());
    assertTrue(closed.body().contains("cannot reach the cluster's shared counters"), closed.body());
    Thread.sleep(1_500);
    for (int i = 0; i < 5; i++) {
      assertEquals(503, call(a, "tp-team").statusCode(), "a closed budget stays closed while cut off");
    }
    int answeredSinceTheKill = openAnswered.get() - answeredBefore;

    int logBeforeJoin = a.log().length();
    NodeProcess c = cluster.startOne("c"); // the majority is back
    awaitLog(a, "Members {size:2", logBeforeJoin);
    awaitStatus(a, "tp-team", 200, Duration.ofSeconds(20));
    running.set(false);
    openLoad.join();
    assertEquals(0, openOther.get(), "the open key got only 200 or 503");

    // Reconciled: everything the open key was answered is counted, on both nodes.
    long expected = openAnswered.get() * BudgetCluster.COST_NANOS;
    for (NodeProcess node : new NodeProcess[] {a, c}) {
      awaitSpent(node, "vk/vk-open/budget/1d", expected);
    }
    System.out.printf("partition: the open key was answered %d times in all, %d from the kill until the majority came "
        + "back (its slice), refused %d times (%s)%n", openAnswered.get(), answeredSinceTheKill, openRefused.get(),
        openRefusal.get());
  }

  private static HttpResponse<String> call(NodeProcess node, String key) throws Exception {
    return node.send(HttpRequest.newBuilder(node.uri("/anthropic/v1/messages")).timeout(Duration.ofSeconds(30))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(BudgetCluster.body())));
  }

  private static HttpResponse<String> awaitStatus(NodeProcess node, String key, int status, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    HttpResponse<String> last;
    do {
      last = call(node, key);
      if (last.statusCode() == status) {
        return last;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("still " + last.statusCode() + " " + last.body() + "\n" + node.logTail());
  }

  /** Waits for {@code text} in the node's log after its first {@code from} characters. */
  private static void awaitLog(NodeProcess node, String text, int from) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (node.log().indexOf(text, from) >= 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + text + "' in\n" + node.logTail());
  }

  private static void awaitSpent(NodeProcess node, String limitId, long nanos) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    double spent = -1;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> usage = node.send(HttpRequest.newBuilder(node.uri("/api/admin/usage?subject="
          + limitId.substring(0, limitId.indexOf("/budget")))).header("authorization", "Bearer " + BudgetCluster.ADMIN));
      JsonArray limits = new JsonObject(usage.body()).getJsonArray("limits");
      for (Object row : limits) {
        if (((JsonObject) row).getString("id").equals(limitId)) {
          spent = ((JsonObject) row).getDouble("spent");
        }
      }
      if (Math.abs(spent - nanos / 1e9) < 1e-9) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(limitId + " spent " + spent + " on " + node + ", expected " + nanos / 1e9);
  }
}
