package dev.turnpike.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeBedrockUpstream;
import dev.turnpike.app.fakes.FakeUpstream;
import dev.turnpike.app.fakes.FakeVertexUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.provider.auth.AwsCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
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
  private static final String EMAIL = "gateway@turnpike-e2e.iam.gserviceaccount.com";
  private static final String CLIENT_KEY = "sk-client-key";

  private static Path claude;
  private Vertx vertx;
  private FakeBedrockUpstream bedrock;
  private FakeVertexUpstream vertex;
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
    Path target = work.resolve("made-by-claude.txt");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    bedrock = await(new FakeBedrockUpstream(vertx, AWS).bashTarget(target).start());
    vertex = await(new FakeVertexUpstream(vertx, keys.getPublic(), EMAIL, "turnpike-e2e", "us-east5")
        .bashTarget(target).start());
    String account = new JsonObject().put("type", "service_account").put("project_id", "turnpike-e2e")
        .put("private_key_id", "k1").put("client_email", EMAIL).put("token_uri", vertex.tokenUrl())
        .put("private_key", "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
            keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n").encode();
    JsonObject config = new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("cluster", new JsonObject().put("enabled", false))
        .put("providers", new JsonObject()
            .put("bedrock", new JsonObject().put("dialect", "bedrock").put("base_url", bedrock.baseUrl())
                .put("region", FakeBedrockUpstream.REGION).put("aws", new JsonObject()
                    .put("access_key_id", AWS.accessKeyId()).put("secret_access_key", AWS.secretAccessKey())))
            .put("vertex", new JsonObject().put("dialect", "vertex").put("base_url", vertex.baseUrl())
                .put("project", "turnpike-e2e").put("region", "us-east5")
                .put("google", new JsonObject().put("credentials_json", account))));
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
  void claudeCodeWithABedrockModelFromTheAnthropicEndpoint() throws Exception {
    ClaudeCodeCli.Result r = runClaude("bedrock/" + BEDROCK_MODEL);

    assertFinished(r, bedrock);
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

    assertFinished(r, vertex);
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
    ClaudeCodeCli.Result r = run(env);

    assertFinished(r, bedrock);
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
    ClaudeCodeCli.Result r = run(env);

    assertFinished(r, vertex);
    List<RecordedRequest> calls = vertex.requests().stream().filter(c -> !c.path().equals("/token")).toList();
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertTrue(call.path().startsWith("/v1/projects/turnpike-e2e/locations/us-east5/"),
          "the gateway's project, not the developer's: " + call.path());
      assertTrue(call.header("authorization").startsWith("Bearer ya29.fake-"));
    }
  }

  private ClaudeCodeCli.Result run(Map<String, String> env) throws Exception {
    return ClaudeCodeCli.runPrint(claude, work, env, "Create the file " + work.resolve("made-by-claude.txt")
        + " using Bash, then say done", 120);
  }

  private ClaudeCodeCli.Result runClaude(String model) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + node.port() + "/anthropic");
    env.put("ANTHROPIC_API_KEY", CLIENT_KEY);
    env.put("ANTHROPIC_MODEL", model);
    return ClaudeCodeCli.runPrint(claude, work, env, "Create the file " + work.resolve("made-by-claude.txt")
        + " using Bash, then say done", 120);
  }

  private void assertFinished(ClaudeCodeCli.Result r, FakeUpstream<?> upstream) throws Exception {
    String context = r + "\n--- upstream requests: " + upstream.requests();
    assertEquals(0, r.exitCode(), context);
    JsonObject json = r.json();
    assertNotNull(json, context);
    assertFalse(json.getBoolean("is_error", true), context);
    assertTrue(json.getString("result", "").contains(upstream.marker()), context);
    assertEquals("turnpike\n", Files.readString(work.resolve("made-by-claude.txt")), context);
    String toolId = upstream.issuedToolCallIds().get(0);
    assertTrue(upstream.receivedToolResultFor(toolId), "no tool_result for " + toolId);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
