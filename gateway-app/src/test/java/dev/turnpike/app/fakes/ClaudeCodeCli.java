package dev.turnpike.app.fakes;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Installs (through {@code scripts/install-claude-code.sh}) and runs the real Claude Code CLI for end-to-end
 * tests: {@code claude -p ... --output-format json} (or {@code stream-json --verbose}) with a fresh HOME, a clean environment (no inherited
 * ANTHROPIC_/CLAUDE_/proxy variables, so nothing from the machine leaks into the run or sends it elsewhere),
 * stdin from /dev/null, a hard timeout and stdout/stderr captured to files.
 */
public final class ClaudeCodeCli {

  public static final String VERSION = "2.1.332";

  private ClaudeCodeCli() {
  }

  /**
   * Output of one run. {@code json} is the parsed {@code --output-format json} result (with {@code stream-json}, its
   * {@code "type":"result"} line), or null.
   */
  public record Result(int exitCode, String stdout, String stderr, Path stdoutFile, Path stderrFile,
                       JsonObject json) {
    /** With {@code stream-json}: the lines of stdout of that {@code type} ({@code rate_limit_event}, ...). */
    public List<JsonObject> events(String type) {
      List<JsonObject> events = new ArrayList<>();
      for (String line : stdout.split("\n")) {
        JsonObject event = parse(line);
        if (event != null && type.equals(event.getString("type"))) {
          events.add(event);
        }
      }
      return events;
    }

    @Override
    public String toString() {
      return "exit=" + exitCode + "\n--- stdout (" + stdoutFile + ")\n" + stdout + "\n--- stderr (" + stderrFile
          + ")\n" + stderr;
    }
  }

  /**
   * The {@code claude} executable, installing it when missing. Aborts the test (a visible skip) only when npm is
   * absent and nothing is installed; any other install failure fails the test.
   */
  public static Path installOrSkip() throws IOException, InterruptedException {
    Path script = repoRoot().resolve("scripts/install-claude-code.sh");
    Path log = Files.createTempFile("install-claude-code", ".log");
    Process p = new ProcessBuilder("bash", script.toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectError(log.toFile())
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("install-claude-code.sh timed out; log: " + log);
    }
    String err = Files.readString(log);
    if (p.exitValue() == 2 && err.contains("npm not found")) {
      Assumptions.abort("npm is not installed: cannot install Claude Code " + VERSION + " for the e2e test");
    }
    if (p.exitValue() != 0 || out.isEmpty()) {
      throw new IllegalStateException("install-claude-code.sh failed (exit " + p.exitValue() + "):\n" + err);
    }
    String[] lines = out.split("\n");
    return Path.of(lines[lines.length - 1].trim());
  }

  /** The repository root: the first parent of the working directory that holds the install script. */
  public static Path repoRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("scripts/install-claude-code.sh"))) {
        return d;
      }
    }
    throw new IllegalStateException("scripts/install-claude-code.sh not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * Claude Code in Bedrock mode against a gateway that holds the AWS credentials: {@code baseUrl} is the gateway's
   * Bedrock surface ({@code http://host:port/bedrock}). No AWS credentials are needed or sent; a virtual key, when
   * the gateway asks for one, goes in {@code AWS_BEARER_TOKEN_BEDROCK} or {@code ANTHROPIC_CUSTOM_HEADERS}.
   */
  public static Map<String, String> bedrockMode(String baseUrl, String model) {
    return Map.of("CLAUDE_CODE_USE_BEDROCK", "1", "ANTHROPIC_BEDROCK_BASE_URL", baseUrl,
        "CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1", "AWS_REGION", "us-east-1", "ANTHROPIC_MODEL", model);
  }

  /**
   * Claude Code in Vertex mode against a gateway that holds the Google credentials: {@code baseUrl} is the gateway's
   * Vertex surface ({@code http://host:port/genai}); project and region only shape the path.
   */
  public static Map<String, String> vertexMode(String baseUrl, String model) {
    return Map.of("CLAUDE_CODE_USE_VERTEX", "1", "ANTHROPIC_VERTEX_BASE_URL", baseUrl,
        "CLAUDE_CODE_SKIP_VERTEX_AUTH", "1", "ANTHROPIC_VERTEX_PROJECT_ID", "my-proj", "CLOUD_ML_REGION", "us-east5",
        "ANTHROPIC_MODEL", model);
  }

  /**
   * Runs {@code claude -p prompt --output-format json --allowedTools Bash --dangerously-skip-permissions} in
   * {@code workDir} with a fresh HOME under it and {@code extraEnv} (ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY,
   * ANTHROPIC_MODEL, ...) on top of the non-interactive defaults.
   */
  public static Result runPrint(Path claude, Path workDir, Map<String, String> extraEnv, String prompt,
                                long timeoutSeconds) throws IOException, InterruptedException {
    return run(claude, workDir, extraEnv, prompt, timeoutSeconds, false);
  }

  /**
   * As {@link #runPrint}, continuing the last conversation in {@code workDir} ({@code --continue}): the same HOME,
   * so Claude Code sends the earlier turns (thinking, tool use) to whatever model serves this one.
   */
  public static Result continuePrint(Path claude, Path workDir, Map<String, String> extraEnv, String prompt,
                                     long timeoutSeconds) throws IOException, InterruptedException {
    return run(claude, workDir, extraEnv, prompt, timeoutSeconds, false, "--continue");
  }

  /**
   * As {@link #runPrint}, with {@code --output-format stream-json --verbose}: one JSON message a line (system,
   * assistant, user, rate_limit_event, ..., result), in {@code claude.stdout.jsonl}.
   */
  public static Result runStreamJson(Path claude, Path workDir, Map<String, String> extraEnv, String prompt,
                                     long timeoutSeconds) throws IOException, InterruptedException {
    return run(claude, workDir, extraEnv, prompt, timeoutSeconds, true);
  }

  private static Result run(Path claude, Path workDir, Map<String, String> extraEnv, String prompt,
                            long timeoutSeconds, boolean stream, String... extraArgs)
      throws IOException, InterruptedException {
    Path home = Files.createDirectories(workDir.resolve(".home"));
    Path stdout = workDir.resolve(stream ? "claude.stdout.jsonl" : "claude.stdout.json");
    Path stderr = workDir.resolve("claude.stderr.txt");
    List<String> cmd = new ArrayList<>(List.of(claude.toString(), "-p", prompt, "--output-format",
        stream ? "stream-json" : "json", "--allowedTools", "Bash", "--dangerously-skip-permissions"));
    if (stream) {
      cmd.add("--verbose"); // -p refuses stream-json without it
    }
    cmd.addAll(List.of(extraArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("ANTHROPIC_") || k.startsWith("CLAUDE_") || k.startsWith("OPENAI_")
        || k.startsWith("AWS_") || k.startsWith("GOOGLE_") || k.toLowerCase().endsWith("_proxy")
        || k.equals("CLAUDECODE"));
    env.put("HOME", home.toString());
    env.put("NO_PROXY", "127.0.0.1,localhost");
    // We run as root in CI; Claude Code refuses --dangerously-skip-permissions as root unless sandboxed.
    env.put("IS_SANDBOX", "1");
    // No update checks, telemetry, error reporting or reachability probes: only the API calls under test.
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    env.put("DISABLE_AUTOUPDATER", "1");
    env.putAll(extraEnv);
    Process p = pb.start();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    JsonObject json = null;
    if (!stream) {
      json = parse(out);
    } else {
      for (String line : out.split("\n")) {
        JsonObject message = parse(line);
        if (message != null && "result".equals(message.getString("type"))) {
          json = message;
        }
      }
    }
    return new Result(done ? p.exitValue() : -1, out, err, stdout, stderr, json);
  }

  /** The JSON object in {@code text}, or null when it is not one (e.g. a crash message; the caller reports stdout). */
  private static JsonObject parse(String text) {
    try {
      return text.isBlank() ? null : new JsonObject(text.trim());
    } catch (RuntimeException notJson) {
      return null;
    }
  }
}
