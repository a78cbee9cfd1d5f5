package dev.turnpike.app.e2e;

import static dev.turnpike.app.e2e.ClaudeCodeRuns.CLIENT_KEY;
import static dev.turnpike.app.e2e.ClaudeCodeRuns.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeBedrockUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.provider.auth.AwsCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
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
    work = ClaudeCodeRuns.workDir(info);
    vertx = Vertx.vertx();
    bedrock = await(new FakeBedrockUpstream(vertx, AWS).bashTarget(ClaudeCodeRuns.madeByClaude(work))
        .faults(Faults.none().splitEvery(7)).start());
    node = await(TurnpikeNode.start(NodeConfigs.standalone(new JsonObject()
        .put("bedrock", NodeConfigs.bedrock(bedrock, AWS)))));
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
    ClaudeCodeCli.Result r = ClaudeCodeRuns.run(claude, work,
        ClaudeCodeRuns.anthropicEndpointEnv(node.port(), "bedrock/" + MODEL));

    ClaudeCodeRuns.assertFinished(r, work, bedrock);
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
}
