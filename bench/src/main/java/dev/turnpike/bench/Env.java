package dev.turnpike.bench;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a scenario may use: the fake upstream, the plan, and helpers to start Turnpike nodes. */
public final class Env {

  private final Path repoRoot;
  private final Path gatewayJar;
  private final Path workDir;
  private final String runId;
  private final int fakePort;
  private final Plan plan;
  private final List<String> nodeJavaOpts;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public Env(Path repoRoot, Path gatewayJar, Path workDir, String runId, int fakePort, Plan plan,
             List<String> nodeJavaOpts) {
    this.repoRoot = repoRoot;
    this.gatewayJar = gatewayJar;
    this.workDir = workDir;
    this.runId = runId;
    this.fakePort = fakePort;
    this.plan = plan;
    this.nodeJavaOpts = nodeJavaOpts;
  }

  public Path repoRoot() {
    return repoRoot;
  }

  public Path workDir() {
    return workDir;
  }

  public Plan plan() {
    return plan;
  }

  public int fakePort() {
    return fakePort;
  }

  /** The fake's base URL for a script, without {@code /v1}: what a provider's {@code base_url} holds. */
  public String fakeBaseUrl(String script) {
    return "http://127.0.0.1:" + fakePort + "/" + script;
  }

  /** A cluster name no other run (or other engineer's test) uses. */
  public String clusterName(String scenario) {
    return "bench-" + runId + "-" + scenario;
  }

  /**
   * A node config with three providers on the fake: {@code fake} (anthropic passthrough, long answer),
   * {@code fakesmall} (anthropic passthrough, short answer) and {@code oai} (openai dialect, long answer).
   */
  public JsonObject nodeConfig(int port, String clusterName) {
    JsonObject providers = new JsonObject()
        .put("fake", provider("anthropic", fakeBaseUrl("std")))
        .put("fakesmall", provider("anthropic", fakeBaseUrl("small")))
        .put("oai", provider("openai", fakeBaseUrl("std")));
    return new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("cluster", new JsonObject().put("enabled", true).put("name", clusterName)
            .put("config", repoRoot.resolve("cluster.xml").toString()))
        .put("providers", providers)
        .put("governance", new JsonObject().put("enforce_virtual_keys", false));
  }

  private static JsonObject provider(String dialect, String baseUrl) {
    return new JsonObject().put("dialect", dialect).put("base_url", baseUrl)
        .put("keys", new JsonArray().add(new JsonObject().put("value", "sk-bench-upstream")));
  }

  /**
   * Starts a Turnpike node from the jar as its own JVM, with the flags {@code ./turnpike} uses plus
   * {@code JAVA_OPTS} and a GC log, and waits for {@code /health/ready}.
   */
  public Proc startNode(String label, JsonObject config) throws Exception {
    int port = config.getJsonObject("server").getInteger("port");
    Path configFile = workDir.resolve(label + ".json");
    Files.writeString(configFile, config.encodePrettily());
    Path gcLog = workDir.resolve(label + ".gc.log");
    Files.deleteIfExists(gcLog);
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("@" + repoRoot.resolve("jvm.options")); // the launcher's own flags, as ./turnpike passes them
    command.addAll(nodeJavaOpts);
    command.add("-Xlog:gc:file=" + gcLog);
    command.add("-jar");
    command.add(gatewayJar.toString());
    command.add("--config");
    command.add(configFile.toString());
    Map<String, String> env = new HashMap<>();
    env.put("TURNPIKE_CLUSTER_NAME", config.getJsonObject("cluster").getString("name"));
    // The embedded store and the request logs stay with the run's other files.
    env.putIfAbsent("TURNPIKE_DATA_DIR", workDir.resolve("data").toString());
    Proc node = Proc.start(label, command, repoRoot, env, workDir.resolve(label + ".log"), gcLog);
    ports.put(node, port);
    try {
      waitReady(node, port, "/health/ready", Duration.ofSeconds(90));
    } catch (Exception e) {
      node.stop(Duration.ofSeconds(5));
      throw e;
    }
    return node;
  }

  private Proc shared;
  private int sharedUses;

  /** How many scenarios have asked for the shared node so far. */
  public int sharedUses() {
    return sharedUses;
  }
  private final Map<Proc, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();

  /** The HTTP port of a node started by {@link #startNode}. */
  public int nodePort(Proc node) {
    return ports.get(node);
  }

  /**
   * The node shared by the single-node scenarios in {@code --quick} mode (it saves a JVM start per scenario; the
   * quick run only proves the harness works). Stopped by {@link #close}.
   */
  public Proc sharedNode() throws Exception {
    sharedUses++;
    if (shared == null) {
      shared = startNode("shared-node", nodeConfig(Env.freePort(), clusterName("shared")));
    }
    return shared;
  }

  /** Stops what {@link #sharedNode} started. */
  public void close() {
    if (shared != null) {
      shared.stop(Duration.ofSeconds(10));
      shared = null;
    }
  }

  /** Polls {@code GET path} until it answers 200; fails with the process's log tail if it dies or times out. */
  public void waitReady(Proc proc, int port, String path, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() < deadline) {
      if (proc != null && !proc.alive()) {
        throw new IllegalStateException(proc.name() + " exited before it was ready:\n" + proc.tail(20));
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException((proc == null ? "port " + port : proc.name()) + " not ready after " + timeout
        + (proc == null ? "" : ":\n" + proc.tail(20)));
  }

  /**
   * Where a peer installed from npm lives: the directory the {@code variable} names, else
   * {@code ~/.cache/turnpike/<folder>} (outside the repository, kept between runs).
   */
  public static java.nio.file.Path cachedInstall(String variable, String folder) {
    String dir = System.getenv(variable);
    return dir != null && !dir.isBlank() ? java.nio.file.Path.of(dir)
        : java.nio.file.Path.of(System.getProperty("user.home"), ".cache", "turnpike", folder);
  }

  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
