package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeGeminiUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Node client ({@code openai} on npm, pinned by {@code scripts/install-openai-node.sh}) through
 * a node to the fake Anthropic upstream and to the fake Gemini API: a streamed parallel tool call its stream helper accepts, a whole answer, an
 * error chunk it raises, and a refused virtual key. Skipped, saying why, when node or npm is missing.
 */
class OpenAiSurfaceNodeClientTest {
  private static final String VIRTUAL_KEY = "tp-vk-node-client";
  private static Vertx fakes;
  private static final String GEMINI_KEY = "AIzaSyTurnpikeNodeClientGeminiKey00";
  private static FakeAnthropicUpstream anthropic;
  private static FakeGeminiUpstream gemini;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    anthropic = new FakeAnthropicUpstream(fakes).requireKey("sk-ant-upstream").start().await();
    anthropic.script(request -> reply(request, anthropic::nextToolCallId));
    gemini = new FakeGeminiUpstream(fakes).apiKey(GEMINI_KEY).start().await();
    gemini.script(request -> reply(request, gemini::nextToolCallId));
    gateway = GatewayHarness.start(new JsonObject()
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", anthropic.baseUrl(), "sk-ant-upstream"))
            .put("gemini", GatewayHarness.provider("gemini", gemini.baseUrl(), GEMINI_KEY)))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true)
            .put("virtual_keys", new JsonArray().add(new JsonObject().put("id", "vk-node").put("value", VIRTUAL_KEY)))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    fakes.close().await();
  }

  /**
   * Parallel tool calls when tools are offered; an error inside the stream when asked to fail; else text. Reads
   * the request in either dialect (Anthropic's messages, Gemini's contents).
   */
  private static Reply reply(JsonObject request, Supplier<String> toolCallIds) {
    String body = request.encode();
    if (body.contains("fail mid-stream")) {
      return Reply.message(new Reply.Text("partial"), new Reply.StreamError("overloaded_error", "Overloaded now"));
    }
    if (request.containsKey("tools")) {
      return Reply.message(new Reply.Text("Checking both."),
          new Reply.ToolCall(toolCallIds.get(), "get_current_weather", new JsonObject().put("location", "Boston, MA")),
          new Reply.ToolCall(toolCallIds.get(), "get_current_weather", new JsonObject().put("location", "Madison, WI")))
          .withUsage(90, 25);
    }
    return Reply.text("Hello from the fake \u00e9.").withUsage(12, 5);
  }

  @Test
  void the_official_client_streams_a_parallel_tool_call_through_to_gemini() throws Exception {
    JsonObject result = runClient("gemini/gemini-2.5-pro");

    JsonObject stream = result.getJsonObject("stream");
    assertEquals(List.of("get_current_weather", "get_current_weather"), stream.getJsonArray("argumentsDone").getList());
    JsonObject choice = stream.getJsonObject("completion").getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", choice.getString("finish_reason"));
    JsonArray calls = choice.getJsonObject("message").getJsonArray("tool_calls");
    assertEquals(2, calls.size());
    assertEquals("Boston, MA", new JsonObject(calls.getJsonObject(0).getJsonObject("function")
        .getString("arguments")).getString("location"));
    assertEquals("Madison, WI", new JsonObject(calls.getJsonObject(1).getJsonObject("function")
        .getString("arguments")).getString("location"));
    assertTrue(gemini.requests().stream().anyMatch(r -> r.path().endsWith(":streamGenerateContent")),
        "the stream went to Gemini: " + gemini.requests());
    assertEquals("Hello from the fake \u00e9.", result.getJsonObject("whole").getJsonObject("completion")
        .getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"));
    assertEquals(401, result.getJsonObject("refusedKey").getInteger("status"));
  }

  @Test
  void the_official_client_streams_a_parallel_tool_call_and_reads_answers_and_errors() throws Exception {
    JsonObject result = runClient("anthropic/claude-sonnet-4-5");


    JsonObject stream = result.getJsonObject("stream");
    assertTrue(stream.getInteger("chunks") >= 6, stream.encode());
    assertEquals(List.of("get_current_weather", "get_current_weather"), stream.getJsonArray("argumentsDone").getList());
    JsonObject choice = stream.getJsonObject("completion").getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", choice.getString("finish_reason"));
    assertEquals("Checking both.", choice.getJsonObject("message").getString("content"));
    JsonArray calls = choice.getJsonObject("message").getJsonArray("tool_calls");
    assertEquals(2, calls.size());
    List<String> issued = anthropic.issuedToolCallIds();
    assertEquals(issued.get(issued.size() - 2), calls.getJsonObject(0).getString("id"));
    assertEquals(issued.get(issued.size() - 1), calls.getJsonObject(1).getString("id"));
    assertEquals("Madison, WI", new JsonObject(calls.getJsonObject(1).getJsonObject("function")
        .getString("arguments")).getString("location"));
    assertEquals(115, stream.getJsonObject("completion").getJsonObject("usage").getInteger("total_tokens"));

    JsonObject whole = result.getJsonObject("whole");
    assertEquals("Hello from the fake \u00e9.", whole.getJsonObject("completion").getJsonArray("choices")
        .getJsonObject(0).getJsonObject("message").getString("content"));
    assertTrue(whole.getString("requestId").startsWith("tp-"), whole.encode());

    JsonObject midStream = result.getJsonObject("midStreamError");
    assertEquals("APIError", midStream.getString("name"), midStream.encode());
    assertTrue(midStream.getString("message").contains("Overloaded now"), midStream.encode());

    JsonObject refused = result.getJsonObject("refusedKey");
    assertEquals("AuthenticationError", refused.getString("name"), refused.encode());
    assertEquals(401, refused.getInteger("status"));
    assertEquals("invalid_api_key", refused.getString("code"));
  }

  /** Runs the client script against {@code model} and returns what it printed. */
  private static JsonObject runClient(String model) throws Exception {
    Path install = installOrSkip();
    Path script = ClaudeCodeCli.repoRoot().resolve("gateway-app/src/test/resources/openai-node/chat-through-turnpike.cjs");
    Path out = Files.createTempFile("openai-node", ".out");
    Path err = Files.createTempFile("openai-node", ".err");
    ProcessBuilder builder = new ProcessBuilder("node", script.toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().clear(); // nothing of the machine's (proxies, OPENAI_* variables) reaches the client
    builder.environment().put("PATH", System.getenv("PATH"));
    builder.environment().put("HOME", Files.createTempDirectory("openai-node-home").toString());
    builder.environment().put("OPENAI_NODE_DIR", install.toString());
    builder.environment().put("TURNPIKE_BASE_URL", gateway.url("/v1"));
    builder.environment().put("TURNPIKE_KEY", VIRTUAL_KEY);
    builder.environment().put("MODEL", model);
    Process node = builder.start();
    if (!node.waitFor(2, TimeUnit.MINUTES)) {
      node.destroyForcibly();
      throw new AssertionError("the node client did not finish; stderr: " + Files.readString(err));
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8).trim();
    assertEquals(0, node.exitValue(), "stdout: " + stdout + "\nstderr: " + Files.readString(err));
    JsonObject result = new JsonObject(stdout);
    return new JsonObject(stdout);
  }

  /** The install's directory; a visible skip when node or npm is missing. */
  private static Path installOrSkip() throws IOException, InterruptedException {
    Assumptions.assumeTrue(onPath("node"), "node is not installed: cannot run the OpenAI Node client");
    Path script = ClaudeCodeCli.repoRoot().resolve("scripts/install-openai-node.sh");
    Path log = Files.createTempFile("install-openai-node", ".log");
    Process p = new ProcessBuilder("bash", script.toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectError(log.toFile())
        .start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("install-openai-node.sh timed out; log: " + log);
    }
    String err = Files.readString(log);
    if (p.exitValue() == 2 && err.contains("npm not found")) {
      Assumptions.abort("npm is not installed: cannot install the OpenAI Node client");
    }
    if (p.exitValue() != 0 || printed.isEmpty()) {
      throw new IllegalStateException("install-openai-node.sh failed (exit " + p.exitValue() + "):\n" + err);
    }
    String[] lines = printed.split("\n");
    return Path.of(lines[lines.length - 1].trim());
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
