package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Turnpike node in its own JVM, started as an operator would ({@code Main --config FILE}) with the
 * repository's {@code jvm.options} (the heap bounds the README documents), so what a test measures of it (RSS,
 * live objects, what SIGTERM does) is what production would show. Output goes to
 * {@code target/node-processes/<name>.log}. Nothing of the developer's environment steers it.
 */
public final class NodeProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String name;
  private final int port;
  private final Process process;
  private final Path log;

  private NodeProcess(String name, int port, Process process, Path log) {
    this.name = name;
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /** Starts a standalone node (no cluster) with {@code config} plus a free port on 127.0.0.1; waits until ready. */
  public static NodeProcess start(String name, JsonObject config) throws Exception {
    return start(name, config, List.of());
  }

  public static NodeProcess start(String name, JsonObject config, List<String> extraJvmFlags) throws Exception {
    return start(name, config, extraJvmFlags, Map.of());
  }

  /** With environment variables for the node (a cluster's {@code TURNPIKE_CLUSTER_NAME}, say). */
  public static NodeProcess start(String name, JsonObject config, List<String> extraJvmFlags,
                                  Map<String, String> extraEnv) throws Exception {
    Path dir = Path.of("target", "node-processes").toAbsolutePath();
    Files.createDirectories(dir);
    String unique = name + "-" + UUID.randomUUID().toString().substring(0, 6);
    int port = freePort();
    JsonObject full = config.copy();
    full.put("server", new JsonObject().put("host", "127.0.0.1").put("port", port)
        .mergeIn(config.getJsonObject("server", new JsonObject())));
    if (!full.containsKey("cluster")) {
      full.put("cluster", new JsonObject().put("enabled", false));
    }
    Path configFile = dir.resolve(unique + ".json");
    Files.writeString(configFile, full.encodePrettily());
    Path root = repositoryRoot();
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add("@" + root.resolve("jvm.options"));
    command.addAll(extraJvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.turnpike.app.Main",
        "--config", configFile.toString()));
    Path log = dir.resolve(unique + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("TURNPIKE_") || k.endsWith("_API_KEY") || k.startsWith("AWS_")
        || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
    // A clustered node's embedded store goes under target/ (rows are kept apart by cluster name).
    env.put("TURNPIKE_DATA_DIR", root.resolve("gateway-app/target/turnpike-data").toString());
    env.putAll(extraEnv);
    NodeProcess node = new NodeProcess(unique, port, builder.start(), log);
    ProcessReaper.register(node.process);
    node.awaitReady(Duration.ofSeconds(60));
    return node;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Resident memory now, from {@code /proc/<pid>/status}. */
  public long rssBytes() throws IOException {
    return statusField("VmRSS");
  }

  /** The highest resident memory so far. */
  public long peakRssBytes() throws IOException {
    return statusField("VmHWM");
  }

  /**
   * Live instances per class after a full GC ({@code jcmd GC.class_histogram}, which collects first), for the
   * given fully qualified class names.
   */
  public Map<String, Long> liveInstances(List<String> classNames) throws Exception {
    Process jcmd = new ProcessBuilder(jcmd(), String.valueOf(pid()), "GC.class_histogram").redirectErrorStream(true)
        .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      fail("jcmd failed: " + out);
    }
    Map<String, Long> counts = new HashMap<>();
    classNames.forEach(c -> counts.put(c, 0L));
    Pattern line = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)");
    for (String row : out.split("\n")) {
      Matcher m = line.matcher(row);
      if (m.find() && counts.containsKey(m.group(2))) {
        counts.put(m.group(2), Long.parseLong(m.group(1)));
      }
    }
    return counts;
  }

  public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** SIGTERM, as Kubernetes or Ctrl-C would send it. */
  public void terminate() {
    process.destroy();
  }

  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("node " + name + " still running after " + timeout.toSeconds() + " s\n" + logTail());
    }
    return process.exitValue();
  }

  public void assertAlive() {
    if (!process.isAlive()) {
      fail("node " + name + " exited with " + process.exitValue() + "\n" + logTail());
    }
  }

  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  public String logTail() {
    String[] lines = log().split("\n");
    StringBuilder tail = new StringBuilder("---- " + log + " (last 60 lines) ----\n");
    for (int i = Math.max(0, lines.length - 60); i < lines.length; i++) {
      tail.append(lines[i]).append('\n');
    }
    return tail.toString();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "(no answer)";
    while (System.nanoTime() < deadline) {
      assertAlive();
      try {
        HttpResponse<String> response = get("/health/ready");
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    fail("node " + name + " not ready within " + timeout.toSeconds() + " s; last: " + last + "\n" + logTail());
  }

  private long statusField(String field) throws IOException {
    for (String row : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (row.startsWith(field + ":")) {
        return Long.parseLong(row.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException(field + " not in /proc/" + pid() + "/status");
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static String jcmd() {
    Path beside = Path.of(javaExecutable()).resolveSibling("jcmd");
    return Files.isExecutable(beside) ? beside.toString() : "jcmd";
  }

  /** The directory with the root pom, cluster.xml and jvm.options (tests run in gateway-app/). */
  public static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("jvm.options")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }

  /** Node JVMs never outlive the test JVM, however it ends. */
  private static final class ProcessReaper {
    private static final List<Process> PROCESSES = new ArrayList<>();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        synchronized (PROCESSES) {
          PROCESSES.forEach(Process::destroyForcibly);
        }
      }, "node-process-reaper"));
    }

    static void register(Process process) {
      synchronized (PROCESSES) {
        PROCESSES.add(process);
      }
    }
  }
}
