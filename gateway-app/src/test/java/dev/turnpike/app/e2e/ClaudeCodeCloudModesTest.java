package dev.turnpike.app.e2e;

import static dev.turnpike.app.e2e.ClaudeCodeRuns.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeBedrockUpstream;
import dev.turnpike.app.fakes.FakeOpenAiUpstream;
import dev.turnpike.app.fakes.FakeUpstream;
import dev.turnpike.app.fakes.FakeVertexUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.TestServiceAccount;
import dev.turnpike.provider.auth.AwsCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The real Claude Code CLI in its Bedrock and Vertex modes through a real Turnpike node that holds the cloud
 * credentials, to the fake Anthropic upstream, (translated) the fake OpenAI upstream, and the fake Bedrock and Vertex
 * (which check the gateway's SigV4 signature and Google token): it must run the upstream's Bash tool call, send the
 * result back and print the final text. The node asks for a virtual key, which Claude Code
 * presents as {@code AWS_BEARER_TOKEN_BEDROCK} (Bedrock mode) or through {@code ANTHROPIC_CUSTOM_HEADERS}.
 *
 * <pre>claude -p (Bedrock | Vertex mode) ──▶ recording proxy ──▶ TurnpikeNode /bedrock | /genai ──▶ fakes</pre>
 *
 * Output of each run is kept under {@code gateway-app/target/e2e/<test>/}.
 */
@Tag("e2e")
class ClaudeCodeCloudModesTest {
  private static final String ANTHROPIC_KEY = "sk-ant-upstream";
  private static final String OPENAI_KEY = "sk-upstream";
  private static final String BEDROCK_SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  private static final String BEDROCK_VIA_OPENAI = "us.anthropic.claude-opus-4-1-20250805-v1:0";
  private static final String VERTEX_SONNET = "claude-sonnet-4-5@20250929";
  private static final String VERTEX_VIA_OPENAI = "claude-opus-4-1@20250805";
  /** Named by no alias: Bedrock's ids go to the bedrock provider, Vertex's to vertex, by the router's family rule. */
  private static final String BEDROCK_HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
  private static final String VERTEX_HAIKU = "claude-haiku-4-5@20251001";
  /** The example credentials of AWS's documentation, never real ones. */
  private static final AwsCredentials AWS = new AwsCredentials("AKIDEXAMPLE",
      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
  private static TestServiceAccount googleAccount;
  private static final String VIRTUAL_KEY = "tp-vk-cloud-modes-secret";
  private static final Map<String, String> KEY_AS_BEDROCK_TOKEN = Map.of("AWS_BEARER_TOKEN_BEDROCK", VIRTUAL_KEY);
  private static final Map<String, String> KEY_AS_CUSTOM_HEADER = Map.of("ANTHROPIC_CUSTOM_HEADERS",
      "x-turnpike-vk: " + VIRTUAL_KEY);

  private static Path claude;
  private Vertx vertx;
  private FakeAnthropicUpstream anthropic;
  private FakeOpenAiUpstream openai;
  private FakeBedrockUpstream bedrock;
  private FakeVertexUpstream vertex;
  private TurnpikeNode node;
  private ClaudeCodeEndToEndTest.RecordingProxy proxy;
  private Path work;

  @BeforeAll
  static void installClaudeCode() throws Exception {
    claude = ClaudeCodeCli.installOrSkip();
    googleAccount = TestServiceAccount.generate("gateway@turnpike-e2e.iam.gserviceaccount.com", "turnpike-e2e");
  }

  @BeforeEach
  void start(TestInfo info) throws Exception {
    work = ClaudeCodeRuns.workDir(info);
    vertx = Vertx.vertx();
    Path target = ClaudeCodeRuns.madeByClaude(work);
    anthropic = await(new FakeAnthropicUpstream(vertx).requireKey(ANTHROPIC_KEY).bashTarget(target).start());
    openai = await(new FakeOpenAiUpstream(vertx).requireKey(OPENAI_KEY).bashTarget(target).start());
    bedrock = await(new FakeBedrockUpstream(vertx, AWS).bashTarget(target).start());
    vertex = await(new FakeVertexUpstream(vertx, googleAccount.publicKey(), googleAccount.email(),
        googleAccount.projectId(), "us-east5").bashTarget(target).start());
    JsonObject config = NodeConfigs.standalone(new JsonObject()
            .put("anthropic", NodeConfigs.keyed("anthropic", anthropic.baseUrl(), ANTHROPIC_KEY))
            .put("openai", NodeConfigs.keyed("openai", openai.baseUrl(), OPENAI_KEY))
            .put("bedrock", NodeConfigs.bedrock(bedrock, AWS))
            .put("vertex", NodeConfigs.vertex(vertex, googleAccount, "us-east5")))
        .put("aliases", new JsonObject()
            .put(BEDROCK_SONNET, "anthropic/claude-sonnet-4-5")
            .put(BEDROCK_VIA_OPENAI, "openai/gpt-test")
            .put(VERTEX_VIA_OPENAI, "openai/gpt-test")
            .put(VERTEX_SONNET, "anthropic/" + VERTEX_SONNET)) // else the vertex provider would serve it
        .put("governance", new JsonObject().put("enforce_virtual_keys", true).put("virtual_keys", new JsonArray()
            .add(new JsonObject().put("id", "vk-cloud").put("value", VIRTUAL_KEY))));
    node = await(TurnpikeNode.start(config));
    proxy = await(new ClaudeCodeEndToEndTest.RecordingProxy(vertx).start(node.port()));
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
  void claudeCodeInBedrockModeThroughTurnpikeToAnAnthropicUpstream() throws Exception {
    ClaudeCodeCli.Result r = run(ClaudeCodeCli.bedrockMode(base("/bedrock"), BEDROCK_SONNET), KEY_AS_BEDROCK_TOKEN);

    assertFinished(r, anthropic);
    List<RecordedRequest> calls = proxy.requests.stream().filter(q -> q.path().startsWith("/bedrock/model/"))
        .toList();
    assertFalse(calls.isEmpty(), () -> "no Bedrock calls: " + proxy.requests);
    assertTrue(proxy.requests.stream().anyMatch(q -> q.path().equals("/bedrock/inference-profiles")),
        () -> "Claude Code lists the inference profiles at start: " + proxy.requests);
    for (RecordedRequest call : calls) {
      assertTrue(call.path().endsWith("/invoke-with-response-stream") || call.path().endsWith("/invoke")
          || call.path().endsWith("/count-tokens"), call::toString);
    }
    for (RecordedRequest upstream : anthropic.requests("/v1/messages")) {
      assertEquals("claude-sonnet-4-5", upstream.json().getString("model"), "the alias of the Bedrock id");
      assertFalse(upstream.json().containsKey("anthropic_version"));
      assertEquals(ANTHROPIC_KEY, upstream.header("x-api-key"));
    }
    assertNoCloudHeadersUpstream(anthropic);
    assertTrue(openai.requests().isEmpty(), () -> "nothing for the openai upstream: " + openai.requests());
  }

  @Test
  void claudeCodeInBedrockModeThroughTurnpikeToAnOpenAiUpstream() throws Exception {
    ClaudeCodeCli.Result r = run(ClaudeCodeCli.bedrockMode(base("/bedrock"), BEDROCK_VIA_OPENAI), KEY_AS_CUSTOM_HEADER);

    assertFinished(r, openai);
    for (RecordedRequest upstream : openai.requests("/v1/chat/completions")) {
      assertEquals("gpt-test", upstream.json().getString("model"));
      assertEquals("Bearer " + OPENAI_KEY, upstream.header("authorization"));
    }
    assertNoCloudHeadersUpstream(openai);
    assertTrue(anthropic.requests().isEmpty(), () -> "nothing for the anthropic upstream: " + anthropic.requests());
  }

  @Test
  void claudeCodeInVertexModeThroughTurnpikeToAnAnthropicUpstream() throws Exception {
    ClaudeCodeCli.Result r = run(ClaudeCodeCli.vertexMode(base("/genai"), VERTEX_SONNET), KEY_AS_CUSTOM_HEADER);

    assertFinished(r, anthropic);
    List<RecordedRequest> calls = proxy.requests.stream().filter(q -> q.path().startsWith("/genai/")).toList();
    assertFalse(calls.isEmpty(), () -> "no Vertex calls: " + proxy.requests);
    for (RecordedRequest upstream : anthropic.requests("/v1/messages")) {
      assertEquals(VERTEX_SONNET, upstream.json().getString("model"));
      assertFalse(upstream.json().containsKey("anthropic_version"));
    }
    assertNoCloudHeadersUpstream(anthropic);
    assertTrue(openai.requests().isEmpty(), () -> "nothing for the openai upstream: " + openai.requests());
  }

  @Test
  void claudeCodeInVertexModeThroughTurnpikeToAnOpenAiUpstream() throws Exception {
    ClaudeCodeCli.Result r = run(ClaudeCodeCli.vertexMode(base("/genai"), VERTEX_VIA_OPENAI), KEY_AS_CUSTOM_HEADER);

    assertFinished(r, openai);
    for (RecordedRequest upstream : openai.requests("/v1/chat/completions")) {
      assertEquals("gpt-test", upstream.json().getString("model"));
    }
    assertNoCloudHeadersUpstream(openai);
    assertTrue(anthropic.requests().isEmpty(), () -> "nothing for the anthropic upstream: " + anthropic.requests());
  }

  @Test
  void claudeCodeInBedrockModeThroughTurnpikeToBedrockWithTheGatewaysCredentials() throws Exception {
    ClaudeCodeCli.Result r = run(ClaudeCodeCli.bedrockMode(base("/bedrock"), BEDROCK_HAIKU), KEY_AS_BEDROCK_TOKEN);

    assertFinished(r, bedrock);
    List<RecordedRequest> calls = bedrock.requests().stream().filter(q -> q.path().startsWith("/model/")).toList();
    assertFalse(calls.isEmpty(), () -> "nothing reached Bedrock: " + bedrock.requests());
    for (RecordedRequest call : calls) {
      assertEquals(BEDROCK_HAIKU, FakeBedrockUpstream.modelOf(call));
      assertTrue(call.header("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
          "the gateway signs with its own credentials");
      assertFalse(call.contains(VIRTUAL_KEY), "the virtual key reached Bedrock");
    }
    assertTrue(anthropic.requests().isEmpty() && openai.requests().isEmpty(), "only Bedrock answers");
  }

  @Test
  void claudeCodeInVertexModeThroughTurnpikeToVertexWithTheGatewaysServiceAccount() throws Exception {
    ClaudeCodeCli.Result r = run(ClaudeCodeCli.vertexMode(base("/genai"), VERTEX_HAIKU), KEY_AS_CUSTOM_HEADER);

    assertFinished(r, vertex);
    List<RecordedRequest> calls = vertex.requests().stream().filter(q -> q.path().contains("/models/")).toList();
    assertFalse(calls.isEmpty(), () -> "nothing reached Vertex: " + vertex.requests());
    for (RecordedRequest call : calls) {
      assertTrue(call.path().startsWith("/v1/projects/turnpike-e2e/locations/us-east5/"), call::toString);
      assertFalse(call.contains(VIRTUAL_KEY), "the virtual key reached Vertex");
    }
    assertTrue(anthropic.requests().isEmpty() && openai.requests().isEmpty(), "only Vertex answers");
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private String base(String surface) {
    return "http://127.0.0.1:" + proxy.port() + surface;
  }

  private ClaudeCodeCli.Result run(Map<String, String> mode, Map<String, String> key) throws Exception {
    Map<String, String> env = new HashMap<>(mode);
    env.putAll(key);
    return ClaudeCodeRuns.run(claude, work, env);
  }

  private void assertFinished(ClaudeCodeCli.Result r, FakeUpstream<?> upstream) throws Exception {
    // What Claude Code asked of the node, beside its own output, for whoever reads a failed run.
    Files.write(work.resolve("client-requests.txt"), proxy.requests.stream().map(RecordedRequest::toString).toList());
    String context = r + "\n--- upstream requests: openai " + openai.requests() + ", anthropic "
        + anthropic.requests() + "\n--- client requests: " + proxy.requests;
    ClaudeCodeRuns.assertAnswered(r, upstream.marker(), context);
    Path target = ClaudeCodeRuns.madeByClaude(work);
    assertTrue(Files.exists(target), "the Bash tool did not create " + target + "\n" + context);
    assertEquals("turnpike\n", Files.readString(target));
    for (ClaudeCodeEndToEndTest.Answer answer : proxy.answers) {
      assertEquals(200, answer.status(), () -> answer.request() + " was refused\n" + context);
    }
    String toolId = upstream.issuedToolCallIds().get(0);
    assertTrue(upstream.receivedToolResultFor(toolId), () -> "no tool result for " + toolId + "\n" + context);
  }

  private static void assertNoCloudHeadersUpstream(FakeUpstream<?> upstream) {
    assertFalse(upstream.anyRequestContains(VIRTUAL_KEY), "the virtual key reached the upstream");
    for (RecordedRequest request : upstream.requests()) {
      for (var header : request.headers()) {
        String name = header.getKey().toLowerCase(Locale.ROOT);
        assertFalse(name.startsWith("x-amz") || name.startsWith("amz-sdk-") || name.startsWith("x-goog-"),
            () -> name + " reached the upstream: " + request);
        assertFalse(header.getValue().startsWith("AWS4-HMAC-SHA256"), () -> "an AWS signature reached " + request);
      }
    }
  }
}
