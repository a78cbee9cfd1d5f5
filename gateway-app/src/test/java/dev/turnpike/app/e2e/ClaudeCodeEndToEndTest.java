package dev.turnpike.app.e2e;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.FakeOpenAiUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.turnpike.app.e2e.ClaudeCodeRuns.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Claude Code CLI ({@code claude -p}) through a real Turnpike node to fake upstreams: it must run the
 * upstream's Bash tool call, send the result back and print the upstream's final text.
 *
 * <pre>claude -p ──▶ recording proxy ──▶ TurnpikeNode /anthropic ──▶ FakeOpenAiUpstream | FakeAnthropicUpstream</pre>
 *
 * The recording proxy only copies bytes; it lets the Anthropic test compare what Claude Code sent with what
 * reached the upstream. Run with {@code mvn -o -pl gateway-app test -Dtest=ClaudeCodeEndToEndTest}; Claude Code
 * is installed into a cache outside the repo on first use (needs npm). Output of each run is kept under
 * {@code gateway-app/target/e2e/<test>/}.
 */
@Tag("e2e")
class ClaudeCodeEndToEndTest {

  private static final String CLIENT_KEY = "sk-client-key";
  private static final String OPENAI_KEY = "sk-upstream";
  private static final String ANTHROPIC_KEY = "sk-ant-upstream";
  private static final String VIRTUAL_KEY = "tp-vk-e2e-secret";
  /** Two keys of team t-e2e, whose budget is $37.50 a day: one opaque, one shaped as a JWT for a Claude gateway. */
  private static final String OPAQUE_TEAM_KEY = "tp-vk-e2e-team-secret";
  private static final String GATEWAY_TEAM_KEY = gatewayShapedToken();

  private static Path claude;
  private Vertx vertx;
  private FakeOpenAiUpstream openai;
  private FakeAnthropicUpstream anthropic;
  private FakeAnthropicUpstream overloaded;
  private FakeAnthropicUpstream burner;
  private TurnpikeNode node;
  private RecordingProxy proxy;
  private Path work;

  @BeforeAll
  static void installClaudeCode() throws Exception {
    claude = ClaudeCodeCli.installOrSkip();
  }

  @BeforeEach
  void start(TestInfo info) throws Exception {
    work = ClaudeCodeRuns.workDir(info);
    vertx = Vertx.vertx();
    Path target = ClaudeCodeRuns.madeByClaude(work);
    openai = await(new FakeOpenAiUpstream(vertx).requireKey(OPENAI_KEY).bashTarget(target).start());
    anthropic = await(new FakeAnthropicUpstream(vertx).requireKey(ANTHROPIC_KEY).bashTarget(target).start());
    overloaded = await(new FakeAnthropicUpstream(vertx)
        .script(request -> Reply.error(529, "overloaded_error", "Overloaded")).start());
    // Answers that cost $0.903 each at claude-sonnet-4-5's price: a way to spend a budget quickly.
    burner = await(new FakeAnthropicUpstream(vertx).script(request -> Reply.text("spent").withUsage(1_000, 60_000))
        .start());
    JsonObject config = NodeConfigs.standalone(new JsonObject()
            .put("openai", NodeConfigs.keyed("openai", openai.baseUrl(), OPENAI_KEY))
            .put("anthropic", NodeConfigs.keyed("anthropic", anthropic.baseUrl(), ANTHROPIC_KEY))
            .put("busy", NodeConfigs.keyed("anthropic", overloaded.baseUrl(), ANTHROPIC_KEY))
            .put("burner", NodeConfigs.keyed("anthropic", burner.baseUrl(), ANTHROPIC_KEY))
            // The burner's answers again, priced at $100 per million output tokens: $6.00 each.
            .put("whale", NodeConfigs.keyed("anthropic", burner.baseUrl(), ANTHROPIC_KEY)))
        .put("governance", new JsonObject()
            .put("teams", new JsonArray().add(new JsonObject().put("id", "t-e2e")
                .put("budget", new JsonObject().put("max_usd", 37.50).put("reset", "1d"))))
            .put("virtual_keys", new JsonArray()
                .add(new JsonObject().put("id", "vk-e2e").put("value", VIRTUAL_KEY)
                    .put("budget", new JsonObject().put("max_usd", 1.20).put("reset", "1d")))
                .add(new JsonObject().put("id", "vk-e2e-opaque").put("value", OPAQUE_TEAM_KEY).put("team", "t-e2e"))
                .add(new JsonObject().put("id", "vk-e2e-gateway").put("value", GATEWAY_TEAM_KEY)
                    .put("team", "t-e2e"))))
        .put("pricing", new JsonObject().put("whale/*", new JsonObject().put("input_per_mtok", 0.0)
            .put("output_per_mtok", 100.0)))
        .put("fallbacks", new JsonObject().put("busy/*", new JsonArray().add("anthropic/claude-sonnet-4-5")));
    node = await(TurnpikeNode.start(config));
    proxy = await(new RecordingProxy(vertx).start(node.port()));
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
  void claudeCodeThroughTurnpikeToAnOpenAiUpstream() throws Exception {
    openAiRoundTrip();
  }

  /** The translator must reassemble SSE lines, JSON and UTF-8 that the upstream's TCP stream cuts anywhere. */
  @Test
  void claudeCodeThroughTurnpikeToAnOpenAiUpstreamStreamingInSevenBytePieces() throws Exception {
    openai.faults(Faults.none().splitEvery(7));
    openAiRoundTrip();
  }

  private void openAiRoundTrip() throws Exception {
    ClaudeCodeCli.Result r = runClaude("openai/gpt-test");
    assertClaudeCodeFinished(r, openai.marker());

    List<RecordedRequest> calls = openai.requests("/v1/chat/completions");
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected, got " + calls + "\n" + r);
    String toolId = openai.issuedToolCallIds().get(0);
    assertTrue(openai.receivedToolResultFor(toolId), "no role=tool message for " + toolId);
    for (RecordedRequest call : calls) {
      assertEquals("Bearer " + OPENAI_KEY, call.header("authorization"));
      assertEquals("gpt-test", call.json().getString("model"), "provider prefix must be stripped");
    }
    assertFalse(openai.anyRequestContains(CLIENT_KEY), "the client's key reached the upstream");
    assertTrue(anthropic.requests().isEmpty(), () -> "nothing should go to the anthropic upstream: "
        + anthropic.requests());
  }

  @Test
  void claudeCodeThroughTurnpikeToAnAnthropicUpstreamIsAPassthrough() throws Exception {
    ClaudeCodeCli.Result r = runClaude("anthropic/claude-sonnet-4-5");
    assertClaudeCodeFinished(r, anthropic.marker());

    List<RecordedRequest> upstream = anthropic.requests("/v1/messages");
    List<RecordedRequest> client = proxy.requests.stream()
        .filter(q -> q.path().equals("/anthropic/v1/messages")).toList();
    assertTrue(upstream.size() >= 2, () -> "tool call and final answer expected, got " + upstream + "\n" + r);
    assertEquals(client.size(), upstream.size(), "every client call should reach the upstream once");
    String toolId = anthropic.issuedToolCallIds().get(0);
    assertTrue(anthropic.receivedToolResultFor(toolId), "no tool_result for " + toolId);
    assertFalse(anthropic.anyRequestContains(CLIENT_KEY), "the client's key reached the upstream");
    assertTrue(openai.requests().isEmpty(), () -> "nothing should go to the openai upstream: " + openai.requests());

    for (int i = 0; i < upstream.size(); i++) {
      RecordedRequest in = client.get(i);
      RecordedRequest out = upstream.get(i);
      assertEquals(ANTHROPIC_KEY, presentedAnthropicKey(out));
      assertEquals(in.query(), out.query(), "query string (beta=true) should pass through");
      assertEquals(in.header("anthropic-version"), out.header("anthropic-version"));
      assertEquals(in.header("anthropic-beta"), out.header("anthropic-beta"), "betas should pass through");
      assertEquals("claude-sonnet-4-5", out.json().getString("model"), "provider prefix must be stripped");

      // Same JSON once the model is left out ...
      JsonObject inJson = in.json().copy();
      JsonObject outJson = out.json().copy();
      inJson.remove("model");
      outJson.remove("model");
      assertEquals(inJson, outJson, "request " + i + ": the body changed beyond the model");
      // ... and the same bytes around the model value: the node splices, it does not re-encode.
      assertSameBytesOutsideModel(in.body(), out.body(), i);
    }
  }

  @Test
  void claudeCodeKeepsWorkingWhenTheFirstProviderIsOverloaded() throws Exception {
    ClaudeCodeCli.Result r = runClaude("busy/claude-sonnet-4-5");
    assertClaudeCodeFinished(r, anthropic.marker());

    assertFalse(overloaded.requests("/v1/messages").isEmpty(), "the overloaded provider was tried first");
    assertTrue(anthropic.requests("/v1/messages").size() >= 2, "the answers came from the fallback");
    String seen = (r.stdout() + r.stderr()).toLowerCase(java.util.Locale.ROOT);
    assertFalse(seen.contains("overloaded") || seen.contains("api error"),
        () -> "Claude Code saw the overload: " + r);
  }

  /**
   * A virtual key as {@code ANTHROPIC_AUTH_TOKEN}: Claude Code works while the key's budget holds its requests' worst
   * case, and once the budget is spent it shows Turnpike's 402 and does not retry it.
   */
  @Test
  void claudeCodeWithAVirtualKeyWorksThenShowsTheBudgetRefusal() throws Exception {
    ClaudeCodeCli.Result first = runClaude("anthropic/claude-sonnet-4-5", Map.of("ANTHROPIC_AUTH_TOKEN", VIRTUAL_KEY));
    assertClaudeCodeFinished(first, anthropic.marker());

    // Spend most of the budget with one dear answer ($0.903), so the next Claude Code request cannot fit.
    spend(VIRTUAL_KEY, "burner/claude-sonnet-4-5");
    int callsBefore = proxy.requests.size();

    ClaudeCodeCli.Result refused = runClaude("anthropic/claude-sonnet-4-5",
        Map.of("ANTHROPIC_AUTH_TOKEN", VIRTUAL_KEY));

    String seen = refused.stdout() + refused.stderr();
    assertTrue(seen.contains("Budget of virtual key 'vk-e2e' (1d budget) reached"), () -> "no readable 402: " + refused);
    long messageCalls = proxy.requests.subList(callsBefore, proxy.requests.size()).stream()
        .filter(q -> q.path().equals("/anthropic/v1/messages")).count();
    assertEquals(1, messageCalls, "Claude Code retried the refusal: " + proxy.requests);
  }

  /**
   * Past 75% and then 95% of a budget Turnpike answers {@code allowed_warning} with the threshold passed. Claude Code
   * reads those headers only when it takes its endpoint for a gateway: under an opaque virtual key its stream-json
   * output has no {@code rate_limit_event}; under one shaped as a JWT whose {@code aud} is {@code claude-gateway} it
   * carries one with status {@code allowed_warning}, the threshold, the utilization and the reset it read, each time
   * the figure moves. The result message (what {@code --output-format json} prints) says nothing of it either way.
   */
  @Test
  void claudeCodeUnderAGatewayShapedVirtualKeyReportsTheBudgetWarning() throws Exception {
    for (int i = 0; i < 5; i++) {
      spend(OPAQUE_TEAM_KEY, "whale/claude-sonnet-4-5"); // 5 x $6.00 of the team's $37.50: 80%
    }
    int answersBefore = proxy.answers.size();

    ClaudeCodeCli.Result opaque = runClaudeStreaming(Map.of("ANTHROPIC_AUTH_TOKEN", OPAQUE_TEAM_KEY));

    assertClaudeCodeFinished(opaque, anthropic.marker());
    List<MultiMap> warned = messageAnswers(answersBefore);
    assertFalse(warned.isEmpty(), () -> "no answers recorded: " + proxy.answers);
    for (MultiMap headers : warned) {
      assertEquals("allowed_warning", headers.get("anthropic-ratelimit-unified-status"), headers::toString);
      assertEquals("0.75", headers.get("anthropic-ratelimit-unified-overage-surpassed-threshold"), headers::toString);
    }
    assertEquals(List.of(), opaque.events("rate_limit_event"), "Claude Code read the headers under an opaque key");

    spend(OPAQUE_TEAM_KEY, "whale/claude-sonnet-4-5"); // $36.00: 96%
    answersBefore = proxy.answers.size();

    ClaudeCodeCli.Result gateway = runClaudeStreaming(Map.of("ANTHROPIC_AUTH_TOKEN", GATEWAY_TEAM_KEY));

    assertClaudeCodeFinished(gateway, anthropic.marker());
    List<MultiMap> sent = messageAnswers(answersBefore);
    assertTrue(sent.size() >= 2, () -> "tool call and final answer expected: " + proxy.answers);
    MultiMap last = sent.get(sent.size() - 1);
    long reset = Long.parseLong(last.get("anthropic-ratelimit-unified-reset"));
    long now = System.currentTimeMillis() / 1000;
    assertTrue(reset > now && reset <= now + 86_400, () -> "the 1d budget resets at the next midnight UTC: " + last);
    // An event for the first answer and for each answer whose figure moved (its own requests spend too).
    List<Double> moves = new java.util.ArrayList<>();
    for (MultiMap headers : sent) {
      assertEquals("allowed_warning", headers.get("anthropic-ratelimit-unified-status"), headers::toString);
      double utilization = Double.parseDouble(headers.get("anthropic-ratelimit-unified-overage-utilization"));
      if (moves.isEmpty() || moves.get(moves.size() - 1) != utilization) {
        moves.add(utilization);
      }
    }
    List<JsonObject> events = gateway.events("rate_limit_event");
    assertEquals(moves, events.stream().map(e -> e.getJsonObject("rate_limit_info").getDouble("utilization"))
        .toList(), () -> "a rate_limit_event for each move of " + sent + "\n" + gateway);
    assertFalse(gateway.json().encode().contains("rate_limit"), () -> gateway.json().encode());
    for (JsonObject event : events) {
      JsonObject info = event.getJsonObject("rate_limit_info");
      assertEquals("allowed_warning", info.getString("status"), info::encode);
      assertEquals("overage", info.getString("rateLimitType"), info::encode);
      assertEquals("allowed_warning", info.getString("overageStatus"), info::encode);
      assertEquals(0.95, info.getDouble("surpassedThreshold"), info::encode);
      assertTrue(info.getDouble("utilization") > 0.95 && info.getDouble("utilization") <= 0.99, info::encode);
      assertEquals(reset, info.getLong("resetsAt"), info::encode);
      assertEquals(reset, info.getLong("overageResetsAt"), info::encode);
      assertFalse(info.getBoolean("isUsingOverage"), info::encode);
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private ClaudeCodeCli.Result runClaude(String model) throws Exception {
    return runClaude(model, Map.of("ANTHROPIC_API_KEY", CLIENT_KEY));
  }

  private ClaudeCodeCli.Result runClaude(String model, Map<String, String> credentials) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(credentials);
    env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + proxy.port() + "/anthropic");
    env.put("ANTHROPIC_MODEL", model);
    return ClaudeCodeRuns.run(claude, work, env);
  }

  private ClaudeCodeCli.Result runClaudeStreaming(Map<String, String> credentials) throws Exception {
    Path target = ClaudeCodeRuns.madeByClaude(work);
    Files.deleteIfExists(target);
    Map<String, String> env = new java.util.HashMap<>(credentials);
    env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + proxy.port() + "/anthropic");
    env.put("ANTHROPIC_MODEL", "anthropic/claude-sonnet-4-5");
    return ClaudeCodeCli.runStreamJson(claude, work, env, "Create the file " + target + " using Bash, then say done",
        120);
  }

  /** One answer through {@code model} under {@code key}, straight to the node (not through Claude Code). */
  private void spend(String key, String model) throws Exception {
    java.net.http.HttpResponse<String> spend = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + node.port()
                + "/anthropic/v1/messages"))
            .header("authorization", "Bearer " + key).header("content-type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject()
                .put("model", model).put("max_tokens", 60_000)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "x")))
                .encode())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, spend.statusCode(), spend.body());
  }

  /** The response headers of the /v1/messages calls Claude Code made since answer {@code from}. */
  private List<MultiMap> messageAnswers(int from) {
    return proxy.answers.subList(from, proxy.answers.size()).stream()
        .filter(a -> a.request().path().equals("/anthropic/v1/messages")).map(Answer::headers).toList();
  }

  /**
   * A token Claude Code takes for a Claude gateway's: three base64url parts whose payload has {@code aud}
   * {@code claude-gateway}. The CLI decodes the payload and checks no signature; to Turnpike it is a key's value.
   */
  private static String gatewayShapedToken() {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String header = new JsonObject().put("alg", "HS256").put("typ", "JWT").encode();
    String payload = new JsonObject().put("aud", "claude-gateway").put("sub", "vk-e2e-gateway").encode();
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString("tp-vk-e2e-gateway-secret".getBytes(StandardCharsets.UTF_8));
  }

  private void assertClaudeCodeFinished(ClaudeCodeCli.Result r, String marker) throws IOException {
    String context = r + "\n--- upstream requests: openai " + openai.requests() + ", anthropic "
        + anthropic.requests() + "\n--- client requests: " + proxy.requests;
    ClaudeCodeRuns.assertAnswered(r, marker, context);
    Path target = ClaudeCodeRuns.madeByClaude(work);
    assertTrue(Files.exists(target), "the Bash tool did not create " + target + "\n" + context);
    assertEquals("turnpike\n", Files.readString(target));
  }

  private static String presentedAnthropicKey(RecordedRequest r) {
    String key = r.header("x-api-key");
    if (key == null && r.header("authorization") != null) {
      key = r.header("authorization").replaceFirst("(?i)^Bearer ", "");
    }
    return key;
  }

  /** Compares the raw bodies byte for byte except for the value of the top-level {@code "model"} field. */
  private static void assertSameBytesOutsideModel(Buffer in, Buffer out, int index) {
    byte[] a = in.getBytes();
    byte[] b = out.getBytes();
    int[] ma = modelValueRange(a);
    int[] mb = modelValueRange(b);
    assertNotNull(ma, "no model in client body " + index);
    assertNotNull(mb, "no model in upstream body " + index);
    assertArrayEquals(Arrays.copyOfRange(a, 0, ma[0]), Arrays.copyOfRange(b, 0, mb[0]),
        "request " + index + ": bytes before the model value differ");
    assertArrayEquals(Arrays.copyOfRange(a, ma[1], a.length), Arrays.copyOfRange(b, mb[1], b.length),
        "request " + index + ": bytes after the model value differ");
  }

  /**
   * [start, end) of the string value of the first {@code "model"} key at depth 1. Claude Code writes
   * {@code model} first, so a scan that tracks strings and nesting is enough.
   */
  private static int[] modelValueRange(byte[] json) {
    int depth = 0;
    for (int i = 0; i < json.length; i++) {
      byte c = json[i];
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      } else if (c == '"') {
        int end = stringEnd(json, i);
        String s = new String(json, i, end - i, StandardCharsets.UTF_8);
        int j = end;
        while (j < json.length && Character.isWhitespace(json[j])) {
          j++;
        }
        if (depth == 1 && s.equals("\"model\"") && j < json.length && json[j] == ':') {
          j++;
          while (Character.isWhitespace(json[j])) {
            j++;
          }
          return new int[] {j, stringEnd(json, j)};
        }
        i = end - 1;
      }
    }
    return null;
  }

  /** Index just past the closing quote of the string starting at {@code start}. */
  private static int stringEnd(byte[] json, int start) {
    int i = start + 1;
    while (json[i] != '"') {
      i += json[i] == '\\' ? 2 : 1;
    }
    return i + 1;
  }

  /** What the node answered one recorded request: status and headers. */
  record Answer(RecordedRequest request, int status, MultiMap headers) {}

  /**
   * Sits between Claude Code and the node and copies requests and responses unchanged (streaming, with
   * backpressure), recording what the client really sent.
   */
  static final class RecordingProxy {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "keep-alive", "transfer-encoding",
        "content-length", "upgrade", "proxy-connection", "te", "trailer");
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    /** The node's answers, in the order their heads arrived. */
    final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final Vertx vertx;
    private HttpServer server;

    RecordingProxy(Vertx vertx) {
      this.vertx = vertx;
    }

    Future<RecordingProxy> start(int targetPort) {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(targetPort).setIdleTimeout(180));
      return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(in -> in.body().onSuccess(body -> {
            MultiMap headers = HttpHeaders.headers().addAll(in.headers());
            RecordedRequest recorded = new RecordedRequest(in.method().name(), in.path(), in.query(), headers,
                body.copy(), System.currentTimeMillis());
            requests.add(recorded);
            MultiMap forward = HttpHeaders.headers();
            in.headers().forEach((k, v) -> {
              if (!HOP_BY_HOP.contains(k.toLowerCase())) {
                forward.add(k, v);
              }
            });
            HttpServerResponse out = in.response();
            client.request(new RequestOptions().setMethod(in.method()).setURI(in.uri()).setHeaders(forward))
                .compose(req -> req.send(body))
                .onSuccess(resp -> {
                  answers.add(new Answer(recorded, resp.statusCode(), HttpHeaders.headers().addAll(resp.headers())));
                  out.setStatusCode(resp.statusCode());
                  resp.headers().forEach((k, v) -> {
                    if (!HOP_BY_HOP.contains(k.toLowerCase())) {
                      out.putHeader(k, v);
                    }
                  });
                  out.setChunked(true);
                  out.closeHandler(v -> resp.request().reset());
                  resp.pipeTo(out);
                })
                .onFailure(e -> {
                  if (!out.headWritten()) {
                    out.setStatusCode(599).end("recording proxy: " + e);
                  }
                });
          }))
          .listen()
          .map(s -> {
            server = s;
            return this;
          });
    }

    int port() {
      return server.actualPort();
    }
  }
}
