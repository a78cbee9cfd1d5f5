package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Routing across two node processes of one Hazelcast cluster: a new session's parallel first requests, spread over
 * both nodes, agree on one target; a breaker one node opens is honoured by the other; a rule set changed through
 * one node's admin API applies on the other, and a bad one is refused on both.
 */
@Tag("cluster")
class RoutingClusterTest {
  private static final String ADMIN = "admin-" + UUID.randomUUID();
  private static Vertx vertx;
  private static FakeAnthropicUpstream left;
  private static FakeAnthropicUpstream right;
  private static FakeAnthropicUpstream sick;
  private static FakeAnthropicUpstream rescue;
  private static NodeProcess a;
  private static NodeProcess b;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    left = new FakeAnthropicUpstream(vertx).script(r -> Reply.text("from left")).start().await();
    right = new FakeAnthropicUpstream(vertx).script(r -> Reply.text("from right")).start().await();
    sick = new FakeAnthropicUpstream(vertx).script(r -> Reply.error(529, "overloaded_error", "Overloaded"))
        .start().await();
    rescue = new FakeAnthropicUpstream(vertx).script(r -> Reply.text("from rescue")).start().await();
    JsonObject config = new JsonObject()
        .put("cluster", new JsonObject().put("enabled", true))
        .put("admin", new JsonObject().put("token", ADMIN))
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("breakers", new JsonObject().put("consecutive_failures", 2).put("cooldown_ms", 120_000))
        .put("providers", new JsonObject()
            .put("left", provider(left)).put("right", provider(right)).put("sick", provider(sick))
            .put("rescue", provider(rescue)))
        .put("fallbacks", new JsonObject().put("sick/*", new JsonArray().add("rescue/claude-rescue")))
        .put("routing_rules", new JsonArray().add(new JsonObject().put("name", "halves")
            .put("cel_expression", "model == 'claude-split'")
            .put("targets", new JsonArray()
                .add(new JsonObject().put("provider", "left").put("model", "claude-l").put("weight", 1))
                .add(new JsonObject().put("provider", "right").put("model", "claude-r").put("weight", 1)))));
    Map<String, String> env = Map.of("TURNPIKE_CLUSTER_NAME", "routing-test-" + UUID.randomUUID());
    a = NodeProcess.start("routing-a", config, List.of(), env);
    b = NodeProcess.start("routing-b", config, List.of(), env);
    awaitMembers(2);
  }

  @AfterAll
  static void stop() throws Exception {
    for (NodeProcess node : new NodeProcess[] {a, b}) {
      if (node != null) {
        node.close();
      }
    }
    vertx.close().await();
  }

  private static JsonObject provider(FakeAnthropicUpstream fake) {
    return new JsonObject().put("dialect", "anthropic").put("base_url", fake.baseUrl())
        .put("keys", new JsonArray().add(new JsonObject().put("value", "sk-fake")));
  }

  private static void awaitMembers(int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (a.log().contains("Members {size:" + count) && b.log().contains("Members {size:" + count)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no cluster of " + count + "\n" + a.logTail() + b.logTail());
  }

  private static HttpRequest.Builder messages(NodeProcess node, String model, String session) {
    String body = new JsonObject().put("model", model).put("max_tokens", 16).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    HttpRequest.Builder request = HttpRequest.newBuilder(node.uri("/anthropic/v1/messages"))
        .header("x-api-key", "k").header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return session == null ? request : request.header("x-claude-code-session-id", session);
  }

  private static String target(HttpResponse<String> response) {
    return response.headers().firstValue("x-turnpike-target").orElse("(none: " + response.statusCode() + ")");
  }

  @Test
  void should_keep_a_new_sessions_parallel_first_requests_on_one_target_across_both_nodes() throws Exception {
    for (int session = 0; session < 5; session++) { // five sessions: a 50/50 split agrees by chance 1 in 128
      String id = "session-" + UUID.randomUUID();
      List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        NodeProcess node = i % 2 == 0 ? a : b;
        burst.add(CompletableFuture.supplyAsync(() -> {
          try {
            return node.send(messages(node, "claude-split", id));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      Set<String> targets = new HashSet<>();
      for (CompletableFuture<HttpResponse<String>> response : burst) {
        targets.add(target(response.get()));
      }
      assertEquals(1, targets.size(), "session " + id + " spread over " + targets);
      String bound = targets.iterator().next();
      assertEquals(bound, target(b.send(messages(b, "claude-split", id))), "later, on node B");
      assertEquals(bound, target(a.send(messages(a, "claude-split", id))), "later, on node A");
      HttpResponse<String> switched = a.send(messages(a, "left/claude-other", id));
      assertTrue(switched.headers().firstValue("x-turnpike-route").orElse("").endsWith("affinity=new"),
          "/model starts a new binding: " + switched.headers().firstValue("x-turnpike-route").orElse(""));
    }
  }

  @Test
  void should_skip_a_target_on_node_b_whose_breaker_node_a_opened() throws Exception {
    for (int i = 0; i < 2; i++) {
      assertEquals("rescue/claude-rescue", target(a.send(messages(a, "sick/claude-x", null))));
    }
    assertEquals(2, sick.requests().size(), "node A tried the sick target twice, then its breaker opened");

    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    String state = "";
    while (!state.equals("open") && System.nanoTime() < deadline) {
      HttpResponse<String> explained = b.send(HttpRequest.newBuilder(b.uri("/api/admin/routing/explain"))
          .header("authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.ofString(
              new JsonObject().put("request", new JsonObject().put("model", "sick/claude-x")).encode())));
      state = new JsonObject(explained.body()).getJsonObject("breakers").getString("sick/claude-x", "");
    }
    assertEquals("open", state, "node B hears of node A's breaker within a second");
    int before = sick.requests().size();
    for (int i = 0; i < 5; i++) {
      assertEquals("rescue/claude-rescue", target(b.send(messages(b, "sick/claude-x", null))));
    }
    assertEquals(before, sick.requests().size(), "node B no longer sends to the open target");
  }

  @Test
  void should_apply_a_rule_change_made_on_node_a_on_node_b_and_refuse_a_bad_one_on_both() throws Exception {
    JsonObject rules = new JsonObject().put("routing_rules", new JsonArray().add(new JsonObject()
        .put("name", "everything right").put("cel_expression", "model == 'claude-moved'")
        .put("targets", new JsonArray().add(new JsonObject().put("provider", "right").put("model", "claude-r")))));
    HttpResponse<String> put = a.send(HttpRequest.newBuilder(a.uri("/api/admin/routing-rules"))
        .header("authorization", "Bearer " + ADMIN).PUT(HttpRequest.BodyPublishers.ofString(rules.encode())));
    assertEquals(200, put.statusCode(), put.body());

    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    String onB;
    do {
      onB = target(b.send(messages(b, "claude-moved", null)));
    } while (!onB.equals("right/claude-r") && System.nanoTime() < deadline);
    assertEquals("right/claude-r", onB, "node B applies node A's new rule within a second");

    JsonObject bad = new JsonObject().put("routing_rules", new JsonArray().add(new JsonObject().put("name", "bad")
        .put("cel_expression", "model ==").put("targets", new JsonArray().add(new JsonObject().put("model", "x")))));
    for (NodeProcess node : new NodeProcess[] {a, b}) {
      HttpResponse<String> refused = node.send(HttpRequest.newBuilder(node.uri("/api/admin/routing-rules"))
          .header("authorization", "Bearer " + ADMIN).PUT(HttpRequest.BodyPublishers.ofString(bad.encode())));
      assertEquals(400, refused.statusCode(), refused.body());
      assertTrue(new JsonObject(refused.body()).getJsonArray("problems").getString(0).contains("'bad'"));
    }
    assertEquals("right/claude-r", target(a.send(messages(a, "claude-moved", null))), "the good set stays");
    HttpResponse<String> current = b.send(HttpRequest.newBuilder(b.uri("/api/admin/routing-rules"))
        .header("authorization", "Bearer " + ADMIN).GET());
    assertEquals("everything right", new JsonObject(current.body()).getJsonArray("routing_rules").getJsonObject(0)
        .getString("name"));
  }
}
