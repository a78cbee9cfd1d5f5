package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * Three node processes of one cluster sharing one virtual key's $1.00 daily budget, and a fake upstream whose every
 * answer costs exactly {@link #COST_NANOS}: the setup of the budget tests that run real cluster members.
 */
final class BudgetCluster implements AutoCloseable {
  /** claude-haiku-4-5 at $1 in, $5 out, $1.25 cache write per MTok: 1,000 in and 800 out cost exactly $0.005. */
  static final long COST_NANOS = 1_000 * 1_000L + 800 * 5_000L;
  static final int MAX_TOKENS = 1_000;
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  static final String ADMIN = "admin-" + UUID.randomUUID();

  private final Vertx vertx;
  private final FakeAnthropicUpstream upstream;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final String name;
  private final int size;
  private final JsonObject config;
  private final Map<String, String> env;

  private BudgetCluster(Vertx vertx, FakeAnthropicUpstream upstream, String name, int size, JsonObject config,
                        Map<String, String> env) {
    this.vertx = vertx;
    this.upstream = upstream;
    this.name = name;
    this.size = size;
    this.config = config;
    this.env = env;
  }

  /** Starts the upstream (answering after {@code firstByteDelayMs}) and nodes {@code <name>-a, -b, -c}. */
  static BudgetCluster start(String name, long firstByteDelayMs) throws Exception {
    return start(name, firstByteDelayMs, 1.00, 3, null);
  }

  /** With a budget of {@code maxUsd}, {@code size} nodes and a {@code store} section (null: the default). */
  static BudgetCluster start(String name, long firstByteDelayMs, double maxUsd, int size, JsonObject store)
      throws Exception {
    return start(name, firstByteDelayMs, maxUsd, size, store, config -> { });
  }

  /** ... and {@code customize} changes the nodes' config before they start (more keys, cluster settings). */
  static BudgetCluster start(String name, long firstByteDelayMs, double maxUsd, int size, JsonObject store,
                             java.util.function.Consumer<JsonObject> customize) throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeAnthropicUpstream upstream = new FakeAnthropicUpstream(vertx)
        .script(r -> Reply.text("ok").withUsage(1_000, 800)
            .withFaults(Faults.none().delayFirstByte(firstByteDelayMs)))
        .start().await();
    JsonObject config = new JsonObject()
        .put("cluster", new JsonObject().put("enabled", true))
        .put("admin", new JsonObject().put("token", ADMIN))
        .put("server", new JsonObject().put("max_in_flight", 1000))
        .put("providers", new JsonObject().put("anthropic", new JsonObject().put("dialect", "anthropic")
            .put("base_url", upstream.baseUrl())
            .put("keys", new JsonArray().add(new JsonObject().put("value", "sk-up")))))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true)
            .put("virtual_keys", new JsonArray().add(new JsonObject().put("id", "vk-team").put("value", "tp-team")
                .put("budget", new JsonObject().put("max_usd", maxUsd).put("reset", "1d")))));
    if (store != null) {
      config.put("store", store);
    }
    customize.accept(config);
    Map<String, String> env = Map.of("TURNPIKE_CLUSTER_NAME", name + "-test-" + UUID.randomUUID());
    BudgetCluster cluster = new BudgetCluster(vertx, upstream, name, size, config, env);
    cluster.startNodes();
    return cluster;
  }

  /** Starts the nodes (again, after {@link #stopAll} or {@link #killAll}: the same config and cluster name). */
  void startNodes() throws Exception {
    nodes.clear();
    for (int i = 0; i < size; i++) {
      nodes.add(NodeProcess.start(name + "-" + (char) ('a' + i), config, List.of(), env));
    }
    awaitMembers(size);
  }

  /** SIGTERM to every node, and waits until each has drained and left. */
  void stopAll() throws Exception {
    nodes.forEach(NodeProcess::terminate);
    for (NodeProcess node : nodes) {
      node.awaitExit(Duration.ofSeconds(60));
    }
  }

  /** Starts one more node of the same cluster (a replacement after one was killed, say). */
  NodeProcess startOne(String suffix) throws Exception {
    NodeProcess node = NodeProcess.start(name + "-" + suffix, config, List.of(), env);
    nodes.add(node);
    return node;
  }

  /** SIGKILL to every node at once: no drain, no flush. */
  void killAll() throws Exception {
    for (NodeProcess node : nodes) {
      node.close();
    }
  }

  List<NodeProcess> nodes() {
    return nodes;
  }

  FakeAnthropicUpstream upstream() {
    return upstream;
  }

  static String body() {
    return new JsonObject().put("model", "claude-haiku-4-5").put("max_tokens", MAX_TOKENS)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "count to three")))
        .encode();
  }

  /** What the budget reserves per request: the prompt estimate at the cache-write price, max_tokens of output. */
  static long worstCase() {
    return (body().length() + 2) / 3 * 1_250L + MAX_TOKENS * 5_000L;
  }

  static HttpRequest request(NodeProcess node) {
    return HttpRequest.newBuilder(node.uri("/anthropic/v1/messages")).timeout(Duration.ofSeconds(60))
        .header("x-api-key", "tp-team").header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body())).build();
  }

  /** The budget's row of a node's usage report: spent, reserved and remaining in USD. */
  static JsonObject budget(NodeProcess node) throws Exception {
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

  private void awaitMembers(int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (nodes.stream().allMatch(n -> n.log().contains("Members {size:" + count))) {
        return;
      }
      Thread.sleep(100);
    }
    StringBuilder logs = new StringBuilder();
    nodes.forEach(n -> logs.append(n.logTail()));
    throw new AssertionError("no cluster of " + count + "\n" + logs);
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess node : nodes) {
      node.close();
    }
    vertx.close().await();
  }
}
