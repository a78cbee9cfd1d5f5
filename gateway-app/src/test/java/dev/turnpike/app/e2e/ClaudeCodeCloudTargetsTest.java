package dev.turnpike.app.e2e;

import static dev.turnpike.app.e2e.ClaudeCodeRuns.CLIENT_KEY;
import static dev.turnpike.app.e2e.ClaudeCodeRuns.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeBedrockUpstream;
import dev.turnpike.app.fakes.FakeVertexUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.TestServiceAccount;
import dev.turnpike.provider.auth.AwsCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The real Claude Code CLI through a Turnpike node that holds the cloud credentials: from the Anthropic endpoint
 * with {@code bedrock/...} and {@code vertex/...} models, to a fake Bedrock that checks SigV4 and a fake Vertex
 * that checks the OAuth tokens it minted. Each run must execute the fake's Bash tool call and print its answer.
 */
@Tag("e2e")
class ClaudeCodeCloudTargetsTest {
  private static final AwsCredentials AWS = new AwsCredentials("AKIDEXAMPLE",
      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private static final String BEDROCK_MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  private static final String VERTEX_MODEL = "claude-sonnet-4-5@20250929";

  private static Path claude;
  private static TestServiceAccount account;
  private Vertx vertx;
  private FakeBedrockUpstream bedrock;
  private FakeVertexUpstream vertex;
  private TurnpikeNode node;
  private Path work;

  @BeforeAll
  static void installClaudeCode() throws Exception {
    claude = ClaudeCodeCli.installOrSkip();
    account = TestServiceAccount.generate("gateway@turnpike-e2e.iam.gserviceaccount.com", "turnpike-e2e");
  }

  @BeforeEach
  void start(TestInfo info) throws Exception {
    work = ClaudeCodeRuns.workDir(info);
    vertx = Vertx.vertx();
    Path target = ClaudeCodeRuns.madeByClaude(work);
    bedrock = await(new FakeBedrockUpstream(vertx, AWS).bashTarget(target).start());
    vertex = await(new FakeVertexUpstream(vertx, account.publicKey(), account.email(), account.projectId(),
        "us-east5").bashTarget(target).start());
    node = await(TurnpikeNode.start(NodeConfigs.standalone(new JsonObject()
        .put("bedrock", NodeConfigs.bedrock(bedrock, AWS))
        .put("vertex", NodeConfigs.vertex(vertex, account, "us-east5")))));
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
  void claudeCodeWithABedrockModelFromTheAnthropicEndpoint() throws Exception {
    ClaudeCodeCli.Result r = runClaude("bedrock/" + BEDROCK_MODEL);

    ClaudeCodeRuns.assertFinished(r, work, bedrock);
    List<RecordedRequest> calls = bedrock.requests();
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertEquals(BEDROCK_MODEL, FakeBedrockUpstream.modelOf(call), call.path());
      assertTrue(call.path().endsWith("/invoke-with-response-stream"), call.path());
      assertTrue(call.header("authorization").startsWith("AWS4-HMAC-SHA256 "), "signed by the gateway");
      assertFalse(call.contains(CLIENT_KEY), "the client's key reached Bedrock");
    }
    assertTrue(vertex.requests().isEmpty());
  }

  @Test
  void claudeCodeWithAVertexModelFromTheAnthropicEndpoint() throws Exception {
    ClaudeCodeCli.Result r = runClaude("vertex/" + VERTEX_MODEL);

    ClaudeCodeRuns.assertFinished(r, work, vertex);
    List<RecordedRequest> calls = vertex.requests().stream().filter(c -> !c.path().equals("/token")).toList();
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertTrue(call.path().endsWith("/claude-sonnet-4-5%4020250929:streamRawPredict"), call.path());
      assertTrue(call.header("authorization").startsWith("Bearer ya29.fake-"), "a token the gateway minted");
      assertFalse(call.contains(CLIENT_KEY), "the client's key reached Vertex");
    }
    assertTrue(vertex.tokenRequests() >= 1);
    assertTrue(bedrock.requests().isEmpty());
  }

  /** Claude Code in its Bedrock mode, the gateway holding the AWS credentials, served by (fake) Bedrock. */
  @Test
  void claudeCodeInBedrockModeServedByBedrock() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("CLAUDE_CODE_USE_BEDROCK", "1");
    env.put("ANTHROPIC_BEDROCK_BASE_URL", "http://127.0.0.1:" + node.port() + "/bedrock");
    env.put("CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1");
    env.put("AWS_REGION", "us-east-1");
    env.put("ANTHROPIC_MODEL", BEDROCK_MODEL);
    ClaudeCodeCli.Result r = ClaudeCodeRuns.run(claude, work, env);

    ClaudeCodeRuns.assertFinished(r, work, bedrock);
    List<RecordedRequest> calls = bedrock.requests();
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertEquals(BEDROCK_MODEL, FakeBedrockUpstream.modelOf(call), call.path());
      assertTrue(call.header("authorization").startsWith("AWS4-HMAC-SHA256 Credential=" + AWS.accessKeyId()),
          "signed by the gateway with its own credentials");
    }
  }

  /** Claude Code in its Vertex mode, the gateway holding the service account, served by (fake) Vertex. */
  @Test
  void claudeCodeInVertexModeServedByVertex() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("CLAUDE_CODE_USE_VERTEX", "1");
    env.put("ANTHROPIC_VERTEX_BASE_URL", "http://127.0.0.1:" + node.port() + "/genai");
    env.put("CLAUDE_CODE_SKIP_VERTEX_AUTH", "1");
    env.put("ANTHROPIC_VERTEX_PROJECT_ID", "developer-project");
    env.put("CLOUD_ML_REGION", "us-east5");
    env.put("ANTHROPIC_MODEL", VERTEX_MODEL);
    ClaudeCodeCli.Result r = ClaudeCodeRuns.run(claude, work, env);

    ClaudeCodeRuns.assertFinished(r, work, vertex);
    List<RecordedRequest> calls = vertex.requests().stream().filter(c -> !c.path().equals("/token")).toList();
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertTrue(call.path().startsWith("/v1/projects/turnpike-e2e/locations/us-east5/"),
          "the gateway's project, not the developer's: " + call.path());
      assertTrue(call.header("authorization").startsWith("Bearer ya29.fake-"));
    }
  }

  private ClaudeCodeCli.Result runClaude(String model) throws Exception {
    return ClaudeCodeRuns.run(claude, work, ClaudeCodeRuns.anthropicEndpointEnv(node.port(), model));
  }
}
