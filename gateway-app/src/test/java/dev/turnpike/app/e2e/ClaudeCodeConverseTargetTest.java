package dev.turnpike.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.FakeBedrockUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.provider.auth.AwsCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The real Claude Code CLI through a Turnpike node to a Bedrock model that is not Anthropic's: the gateway
 * translates its requests to Converse, signs them, and a fake Bedrock that refuses what Converse refuses answers
 * with ConverseStream events split at awkward byte boundaries. The run must execute the fake's Bash tool call and
 * print its answer.
 */
@Tag("e2e")
class ClaudeCodeConverseTargetTest {
  private static final AwsCredentials AWS = new AwsCredentials("AKIDEXAMPLE",
      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private static final String MODEL = "us.meta.llama4-maverick-17b-instruct-v1:0";
  private static final String CLIENT_KEY = "sk-client-key";

  private static Path claude;
  private Vertx vertx;
  private FakeBedrockUpstream bedrock;
  private TurnpikeNode node;
  private Path work;

  @BeforeAll
  static void installClaudeCode() throws Exception {
    claude = ClaudeCodeCli.installOrSkip();
  }

  @BeforeEach
  void start(TestInfo info) throws Exception {
    work = Files.createDirectories(Path.of("target", "e2e", info.getTestMethod().orElseThrow().getName())
        .toAbsolutePath());
    Files.deleteIfExists(work.resolve("made-by-claude.txt"));
    vertx = Vertx.vertx();
    bedrock = await(new FakeBedrockUpstream(vertx, AWS).bashTarget(work.resolve("made-by-claude.txt"))
        .faults(Faults.none().splitEvery(7)).start());
    JsonObject config = new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("cluster", new JsonObject().put("enabled", false))
        .put("providers", new JsonObject()
            .put("bedrock", new JsonObject().put("dialect", "bedrock").put("base_url", bedrock.baseUrl())
                .put("region", FakeBedrockUpstream.REGION).put("aws", new JsonObject()
                    .put("access_key_id", AWS.accessKeyId()).put("secret_access_key", AWS.secretAccessKey()))));
    node = await(TurnpikeNode.start(config));
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      await(node.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void claudeCodeWithALlamaModelOnBedrockRunsItsBashToolThroughConverse() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + node.port() + "/anthropic");
    env.put("ANTHROPIC_API_KEY", CLIENT_KEY);
    env.put("ANTHROPIC_MODEL", "bedrock/" + MODEL);
    ClaudeCodeCli.Result r = ClaudeCodeCli.runPrint(claude, work, env, "Create the file "
        + work.resolve("made-by-claude.txt") + " using Bash, then say done", 120);

    String context = r + "\n--- upstream requests: " + bedrock.requests();
    assertEquals(0, r.exitCode(), context);
    JsonObject json = r.json();
    assertNotNull(json, context);
    assertFalse(json.getBoolean("is_error", true), context);
    assertTrue(json.getString("result", "").contains(bedrock.marker()), context);
    assertEquals("turnpike\n", Files.readString(work.resolve("made-by-claude.txt")), context);
    String toolId = bedrock.issuedToolCallIds().get(0);
    assertTrue(bedrock.receivedToolResultFor(toolId), "no toolResult for " + toolId);
    List<RecordedRequest> calls = bedrock.requests().stream().filter(c -> !c.path().endsWith("/count-tokens"))
        .toList();
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertEquals(MODEL, FakeBedrockUpstream.modelOf(call), call.path());
      assertTrue(call.path().endsWith("/converse-stream") || call.path().endsWith("/converse"), call.path());
      assertTrue(call.header("authorization").startsWith("AWS4-HMAC-SHA256 "), "signed by the gateway");
      assertFalse(call.contains(CLIENT_KEY), "the client's key reached Bedrock");
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
