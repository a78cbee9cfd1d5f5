package dev.turnpike.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeOpenAiUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two real Turnpike nodes, each its own JVM started the way an operator would ({@code Main --config FILE --port
 * N}), with nothing cluster-specific but a unique {@code TURNPIKE_CLUSTER_NAME}: the repository's
 * {@code cluster.xml} defaults (TCP-IP join on loopback) must make them one Hazelcast cluster. Requests through
 * either node reach fake upstreams on 127.0.0.1; usage counted on one node is visible on the other; after node A
 * is killed (SIGKILL, no goodbye) node B still serves and still has every counter (one synchronous backup).
 *
 * <p>Node output goes to {@code target/cluster-test/<run>/node-*.log}.
 */
@Tag("cluster")
class TwoNodeClusterTest {

  private static final Duration START_DEADLINE = Duration.ofSeconds(60);
  private static final Duration CONVERGE_DEADLINE = Duration.ofSeconds(25);
  private static final Pattern TAG = Pattern.compile("ping-[0-9a-f]{8}-[AB]\\d+");
  /** What {@code hazelcast.jvm.flags} in the root pom says, in case the pom cannot be read. */
  private static final String HAZELCAST_FLAGS_FALLBACK = "--add-modules java.se --add-exports "
      + "java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens "
      + "java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens "
      + "jdk.management/com.sun.management.internal=ALL-UNNAMED";

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String CLIENT_KEY = "sk-client-" + RUN;
  private static final String OPENAI_KEY = "sk-fake-openai-" + RUN;
  private static final String ANTHROPIC_KEY = "sk-fake-anthropic-" + RUN;

  private static Vertx vertx;
  private static FakeOpenAiUpstream openai;
  private static FakeAnthropicUpstream anthropic;
  private static final Map<String, Sent> sentByTag = new ConcurrentHashMap<>();
  private static final List<Node> nodes = new ArrayList<>();
  private static Thread reaper;
  private static Path runDir;
  private static HttpClient http;

  /** What a fake answered to one tagged request: the usage it reported is what the gateway must count. */
  record Sent(String upstream, String text, int inputTokens, int outputTokens) {}

  /** What the test expects a node's usage endpoint to show. */
  record Totals(long requests, long inputTokens, long outputTokens) {
    Totals plus(Sent s) {
      return new Totals(requests + 1, inputTokens + s.inputTokens(), outputTokens + s.outputTokens());
    }

    static Totals of(JsonObject json) {
      return json == null ? null : new Totals(json.getLong("requests", 0L), json.getLong("input_tokens", 0L),
          json.getLong("output_tokens", 0L));
    }
  }

  @BeforeAll
  static void startFakes() throws Exception {
    vertx = Vertx.vertx();
    openai = await(new FakeOpenAiUpstream(vertx).requireKey(OPENAI_KEY).script(req -> reply("openai", req)).start());
    anthropic = await(new FakeAnthropicUpstream(vertx).requireKey(ANTHROPIC_KEY)
        .script(req -> reply("anthropic", req)).start());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
    runDir = Path.of("target", "cluster-test", RUN).toAbsolutePath();
    Files.createDirectories(runDir);
    // If the test JVM itself is stopped (surefire timeout, Ctrl-C), the node JVMs must not outlive it.
    reaper = new Thread(TwoNodeClusterTest::destroyAll, "two-node-cluster-test-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    destroyAll();
    if (reaper != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  private static synchronized void destroyAll() {
    for (Node node : nodes) {
      node.kill();
    }
  }

  /** The fakes' script: answer with a text naming the request's tag, and report random (recorded) usage. */
  private static Reply reply(String upstream, JsonObject request) {
    Matcher m = TAG.matcher(request.encode());
    if (!m.find()) {
      return Reply.error(400, null, "no tag in the request (test bug)");
    }
    String tag = m.group();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Sent sent = new Sent(upstream, "pong " + tag + " \u2713 \u2014 from the " + upstream + " fake",
        10 + random.nextInt(990), 1 + random.nextInt(300));
    if (sentByTag.putIfAbsent(tag, sent) != null) {
      return Reply.error(400, null, "tag " + tag + " seen twice (the gateway retried?)");
    }
    return Reply.text(sent.text()).withUsage(sent.inputTokens(), sent.outputTokens());
  }

  @Test
  void twoNodesFormOneClusterShareUsageAndKeepItWhenOneDies() throws Exception {
    long t0 = System.nanoTime();
    Path config = writeConfig();
    String clusterName = "turnpike-test-" + RUN;
    Map<String, String> clusterEnv = new HashMap<>();
    clusterEnv.put("TURNPIKE_CLUSTER_NAME", clusterName);
    // Only the cluster name: the join itself comes from cluster.xml's defaults (TCP-IP on 127.0.0.1, 5701+).
    // Should another program hold 5701-5703 (the ports a member without a port is looked for on), the
    // defaults cannot work on this machine: use a private port range instead and say so.
    if (!anyFree(5701, 5703)) {
      int base = freePortRange(3);
      clusterEnv.put("TURNPIKE_CLUSTER_PORT", String.valueOf(base));
      System.out.println("[cluster-test] 127.0.0.1:5701-5703 all taken by others; using Hazelcast ports from "
          + base + " (the default-port join is NOT exercised in this run)");
    }
    Node a = startNode("a", config, clusterEnv);
    Node b = startNode("b", config, clusterEnv);
    a.awaitReady(t0);
    b.awaitReady(t0);
    long ready = System.nanoTime();
    log("both nodes ready after %d ms (cluster %s, node A :%d, node B :%d)", millis(t0, ready), clusterName,
        a.port, b.port);

    // One cluster, as Hazelcast sees it.
    a.awaitLog(line -> line.contains("Members {size:2"), "Hazelcast member list of size 2");
    b.awaitLog(line -> line.contains("Members {size:2"), "Hazelcast member list of size 2");
    for (Node node : List.of(a, b)) {
      String metrics = http.send(HttpRequest.newBuilder(node.uri("/metrics")).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.lines().anyMatch(line -> line.equals("turnpike_cluster_members 2.0")),
          "node " + node.name + "'s metrics count two members");
    }

    // Traffic through both nodes: every combination of upstream dialect and streaming on each.
    List<String> tagsA = sendMix(a, "A", 8);
    List<String> tagsB = sendMix(b, "B", 6);
    log("%d requests answered correctly through A, %d through B", tagsA.size(), tagsB.size());
    assertEquals(tagsA.size() + tagsB.size(), sentByTag.size(), "one upstream call per client request");
    assertEquals(sentByTag.values().stream().filter(s -> s.upstream().equals("openai")).count(),
        openai.requests("/v1/chat/completions").size());
    assertEquals(sentByTag.values().stream().filter(s -> s.upstream().equals("anthropic")).count(),
        anthropic.requests("/v1/messages").size());
    assertFalse(openai.anyRequestContains(CLIENT_KEY), "the client's key must not reach the upstream");
    assertFalse(anthropic.anyRequestContains(CLIENT_KEY), "the client's key must not reach the upstream");

    // Usage from both nodes, seen whole on each: the counters are cluster-wide.
    Map<String, Totals> expectedByModel = expectedByModel();
    Totals expected = sum(expectedByModel);
    JsonObject usageOnA = awaitUsage(a, expected);
    JsonObject usageOnB = awaitUsage(b, expected);
    for (JsonObject usage : List.of(usageOnA, usageOnB)) {
      assertEquals(expectedByModel, byModel(usage), "usage by model");
      JsonObject subjects = usage.getJsonObject("by_subject");
      assertEquals(1, subjects.size(), "one client key, one subject: " + subjects);
      String subject = subjects.fieldNames().iterator().next();
      assertTrue(subject.startsWith("key:"), subject);
      assertFalse(usage.encode().contains(CLIENT_KEY), "the usage report must not show the key itself");
      assertEquals(expected, Totals.of(subjects.getJsonObject(subject)));
    }
    long shared = System.nanoTime();
    log("usage %s identical on both nodes %d ms after ready", expected, millis(ready, shared));

    // Node A dies without a word. B keeps serving and keeps every counter.
    a.kill();
    assertFalse(a.process.isAlive());
    List<String> afterKill = new ArrayList<>();
    afterKill.add(send(b, "B100", "openai/gpt-test", true));
    afterKill.add(send(b, "B101", "anthropic/claude-test", false));
    for (String tag : afterKill) {
      Sent s = sentByTag.get(tag);
      expectedByModel.merge(s.upstream().equals("openai") ? "openai/gpt-test" : "anthropic/claude-test",
          new Totals(0, 0, 0).plus(s), (x, y) -> new Totals(x.requests() + y.requests(),
              x.inputTokens() + y.inputTokens(), x.outputTokens() + y.outputTokens()));
    }
    Totals expectedAfter = sum(expectedByModel);
    JsonObject usageAfter = awaitUsage(b, expectedAfter);
    assertEquals(expectedByModel, byModel(usageAfter));
    assertTrue(b.process.isAlive());
    log("after SIGKILL of A, B served %d more requests and shows %s (%d ms after the kill); total %d ms",
        afterKill.size(), expectedAfter, millis(shared, System.nanoTime()), millis(t0, System.nanoTime()));
  }

  // ---- traffic ---------------------------------------------------------------------------------------------

  /** {@code count} requests to one node: alternating upstream dialect, streaming every other pair. */
  private static List<String> sendMix(Node node, String prefix, int count) throws Exception {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String model = i % 2 == 0 ? "openai/gpt-test" : "anthropic/claude-test";
      boolean stream = (i / 2) % 2 == 0;
      tags.add(send(node, prefix + i, model, stream));
    }
    return tags;
  }

  /** Sends one tagged Messages request and checks the answer is the fake's text for that tag. */
  private static String send(Node node, String id, String model, boolean stream) throws Exception {
    String tag = "ping-" + RUN + "-" + id;
    JsonObject body = new JsonObject().put("model", model).put("max_tokens", 256).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", tag)));
    HttpRequest request = HttpRequest.newBuilder(node.uri("/anthropic/v1/messages"))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .header("x-api-key", CLIENT_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    String what = model + (stream ? " (stream)" : "") + " via node " + node.name;
    assertEquals(200, response.statusCode(), what + ": " + response.body());
    Sent sent = sentByTag.get(tag);
    assertNotNull(sent, what + ": the upstream never saw " + tag);
    assertEquals(model.startsWith("openai/") ? "openai" : "anthropic", sent.upstream(), what);
    String contentType = response.headers().firstValue("content-type").orElse("");
    if (stream) {
      assertTrue(contentType.startsWith("text/event-stream"), what + ": content-type " + contentType);
      List<JsonObject> events = sseEvents(response.body());
      List<String> types = events.stream().map(e -> e.getString("type")).toList();
      assertEquals("message_start", types.get(0), what + ": " + types);
      assertEquals("message_stop", types.get(types.size() - 1), what + ": " + types);
      StringBuilder text = new StringBuilder();
      long outputTokens = -1;
      for (JsonObject e : events) {
        if ("content_block_delta".equals(e.getString("type"))
            && "text_delta".equals(e.getJsonObject("delta").getString("type"))) {
          text.append(e.getJsonObject("delta").getString("text"));
        } else if ("message_delta".equals(e.getString("type")) && e.getJsonObject("usage") != null) {
          outputTokens = e.getJsonObject("usage").getLong("output_tokens", -1L);
        }
      }
      assertEquals(sent.text(), text.toString(), what);
      assertEquals(sent.outputTokens(), outputTokens, what + ": output_tokens in message_delta");
    } else {
      assertTrue(contentType.startsWith("application/json"), what + ": content-type " + contentType);
      JsonObject message = new JsonObject(response.body());
      assertEquals("message", message.getString("type"), what);
      assertEquals("assistant", message.getString("role"), what);
      JsonObject block = message.getJsonArray("content").getJsonObject(0);
      assertEquals("text", block.getString("type"), what);
      assertEquals(sent.text(), block.getString("text"), what);
      JsonObject usage = message.getJsonObject("usage");
      assertEquals(sent.inputTokens(), usage.getInteger("input_tokens"), what + ": input_tokens");
      assertEquals(sent.outputTokens(), usage.getInteger("output_tokens"), what + ": output_tokens");
    }
    return tag;
  }

  /** Anthropic SSE: the JSON of every {@code data:} line, in order. */
  private static List<JsonObject> sseEvents(String body) {
    List<JsonObject> events = new ArrayList<>();
    for (String line : body.split("\r?\n")) {
      if (line.startsWith("data:")) {
        events.add(new JsonObject(line.substring(5).trim()));
      }
    }
    assertFalse(events.isEmpty(), "no SSE events in: " + body);
    return events;
  }

  // ---- usage -----------------------------------------------------------------------------------------------

  private static Map<String, Totals> expectedByModel() {
    Map<String, Totals> byModel = new HashMap<>();
    for (Sent s : sentByTag.values()) {
      String model = s.upstream().equals("openai") ? "openai/gpt-test" : "anthropic/claude-test";
      byModel.merge(model, new Totals(0, 0, 0).plus(s), (x, y) -> new Totals(x.requests() + y.requests(),
          x.inputTokens() + y.inputTokens(), x.outputTokens() + y.outputTokens()));
    }
    return byModel;
  }

  private static Totals sum(Map<String, Totals> byModel) {
    Totals total = new Totals(0, 0, 0);
    for (Totals t : byModel.values()) {
      total = new Totals(total.requests() + t.requests(), total.inputTokens() + t.inputTokens(),
          total.outputTokens() + t.outputTokens());
    }
    return total;
  }

  private static Map<String, Totals> byModel(JsonObject usage) {
    Map<String, Totals> byModel = new HashMap<>();
    JsonObject models = usage.getJsonObject("by_model");
    for (String model : models.fieldNames()) {
      byModel.put(model, Totals.of(models.getJsonObject(model)));
    }
    return byModel;
  }

  /** Polls {@code /api/admin/usage} until its totals are the expected ones (flushes run every 200 ms). */
  private static JsonObject awaitUsage(Node node, Totals expected) throws Exception {
    long deadline = System.nanoTime() + CONVERGE_DEADLINE.toNanos();
    String last = "(no answer)";
    while (System.nanoTime() < deadline) {
      node.assertAlive();
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.uri("/api/admin/usage"))
            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200) {
          JsonObject usage = new JsonObject(response.body());
          if (expected.equals(Totals.of(usage.getJsonObject("totals")))) {
            return usage;
          }
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    fail("node " + node.name + " never showed totals " + expected + "; last answer: " + last + "\n"
        + node.logTail());
    return null;
  }

  // ---- nodes -----------------------------------------------------------------------------------------------

  private static Path writeConfig() throws IOException {
    JsonObject config = new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("event_loops", 2))
        .put("providers", new JsonObject()
            .put("openai", new JsonObject().put("dialect", "openai").put("base_url", openai.baseUrl())
                .put("keys", new JsonArray().add(new JsonObject().put("value", OPENAI_KEY))))
            .put("anthropic", new JsonObject().put("dialect", "anthropic").put("base_url", anthropic.baseUrl())
                .put("keys", new JsonArray().add(new JsonObject().put("value", ANTHROPIC_KEY)))))
        .put("governance", new JsonObject().put("enforce_virtual_keys", false));
    Path file = runDir.resolve("turnpike.json");
    Files.writeString(file, config.encodePrettily());
    return file;
  }

  private static Node startNode(String name, Path config, Map<String, String> clusterEnv) throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(List.of(hazelcastFlags().split("\\s+")));
    command.addAll(List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dhazelcast.logging.type=jdk", "-Dvertx.disableDnsResolver=true", "-Djava.net.preferIPv4Stack=true"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(List.of("dev.turnpike.app.Main", "--config", config.toString(), "--port", String.valueOf(port)));
    Path log = runDir.resolve("node-" + name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(repositoryRoot().toFile()) // so "cluster.xml" is the repository's own file
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    // Nothing from the developer's shell may steer a test node: no real provider keys, no other cluster.
    env.keySet().removeIf(k -> k.startsWith("TURNPIKE_") || k.endsWith("_API_KEY") || k.startsWith("AWS_")
        || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
    env.putAll(clusterEnv);
    Files.writeString(runDir.resolve("node-" + name + ".cmd"), String.join(" ", command) + "\n");
    Node node = new Node(name, port, builder.start(), log);
    synchronized (TwoNodeClusterTest.class) {
      nodes.add(node);
    }
    return node;
  }

  /** One node JVM. */
  static final class Node {
    final String name;
    final int port;
    final Process process;
    final Path log;

    Node(String name, int port, Process process, Path log) {
      this.name = name;
      this.port = port;
      this.process = process;
      this.log = log;
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }

    void awaitReady(long startNanos) throws Exception {
      long deadline = startNanos + START_DEADLINE.toNanos();
      String last = "(no answer)";
      while (System.nanoTime() < deadline) {
        assertAlive();
        try {
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/health/ready"))
              .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            return;
          }
          last = response.statusCode() + " " + response.body();
        } catch (IOException e) {
          last = e.toString();
        }
        Thread.sleep(150);
      }
      fail("node " + name + " not ready within " + START_DEADLINE.toSeconds() + " s; last: " + last + "\n"
          + logTail());
    }

    void awaitLog(Predicate<String> match, String what) throws Exception {
      long deadline = System.nanoTime() + CONVERGE_DEADLINE.toNanos();
      while (System.nanoTime() < deadline) {
        assertAlive();
        if (Files.readAllLines(log, StandardCharsets.UTF_8).stream().anyMatch(match)) {
          return;
        }
        Thread.sleep(100);
      }
      fail("node " + name + ": no " + what + " in its log\n" + logTail());
    }

    void assertAlive() {
      if (!process.isAlive()) {
        fail("node " + name + " exited with " + process.exitValue() + "\n" + logTail());
      }
    }

    void kill() {
      if (process.isAlive()) {
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    String logTail() {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return "---- " + log + " (last 60 lines) ----\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
      } catch (IOException e) {
        return "(cannot read " + log + ": " + e + ")";
      }
    }
  }

  // ---- environment -----------------------------------------------------------------------------------------

  private static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The directory with the root pom and cluster.xml (tests run in gateway-app/). */
  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("cluster.xml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root with cluster.xml above " + Path.of("").toAbsolutePath());
  }

  /** {@code hazelcast.jvm.flags} from the root pom, so node JVMs get exactly what surefire and ./turnpike use. */
  private static String hazelcastFlags() {
    try {
      String pom = Files.readString(repositoryRoot().resolve("pom.xml"));
      Matcher m = Pattern.compile("<hazelcast\\.jvm\\.flags>([^<]+)</hazelcast\\.jvm\\.flags>").matcher(pom);
      if (m.find()) {
        return m.group(1).trim();
      }
    } catch (IOException | IllegalStateException e) {
      // fall through
    }
    return HAZELCAST_FLAGS_FALLBACK;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }

  private static boolean anyFree(int from, int to) {
    for (int port = from; port <= to; port++) {
      if (isFree(port)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A first port of {@code count} consecutive free ones, away from the 5701 range. */
  private static int freePortRange(int count) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        free = isFree(p);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range");
  }

  private static long millis(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }

  private static void log(String format, Object... args) {
    System.out.println("[cluster-test] " + String.format(Locale.ROOT, format, args));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
