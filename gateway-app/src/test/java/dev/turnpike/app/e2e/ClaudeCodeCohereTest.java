package dev.turnpike.app.e2e;

import static dev.turnpike.app.e2e.ClaudeCodeRuns.CLIENT_KEY;
import static dev.turnpike.app.e2e.ClaudeCodeRuns.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.TurnpikeNode;
import dev.turnpike.app.fakes.ClaudeCodeCli;
import dev.turnpike.app.fakes.FakeCohereUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.RecordedRequest;
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
 * The real Claude Code CLI through a Turnpike node whose {@code cohere/...} models go to a fake Cohere v2 chat API
 * that refuses what Cohere refuses: the run must execute the fake's Bash tool call, send its result back as a
 * {@code tool} message Cohere accepts, and print the fake's final answer.
 */
@Tag("e2e")
class ClaudeCodeCohereTest {
  private static final String MODEL = "command-a-03-2025";
  private static final String UPSTREAM_KEY = "co-e2e-upstream-key";

  private static Path claude;
  private Vertx vertx;
  private FakeCohereUpstream cohere;
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
    cohere = await(new FakeCohereUpstream(vertx).requireKey(UPSTREAM_KEY).bashTarget(ClaudeCodeRuns.madeByClaude(work))
        .start());
    node = await(TurnpikeNode.start(NodeConfigs.standalone(new JsonObject()
        .put("cohere", NodeConfigs.keyed("cohere", cohere.baseUrl(), UPSTREAM_KEY)))));
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
  void claudeCodeWithACohereModelRunsABashToolRoundTrip() throws Exception {
    ClaudeCodeCli.Result r = runClaude();

    assertFinished(r);
  }

  @Test
  void claudeCodeWithACohereModelWhenTheUpstreamSplitsItsStreamAtAwkwardBytes() throws Exception {
    cohere.faults(Faults.none().splitEvery(3));

    ClaudeCodeCli.Result r = runClaude();

    assertFinished(r);
  }

  private ClaudeCodeCli.Result runClaude() throws Exception {
    return ClaudeCodeRuns.run(claude, work, ClaudeCodeRuns.anthropicEndpointEnv(node.port(), "cohere/" + MODEL));
  }

  private void assertFinished(ClaudeCodeCli.Result r) throws Exception {
    ClaudeCodeRuns.assertFinished(r, work, cohere);
    List<RecordedRequest> calls = cohere.requests(FakeCohereUpstream.CHAT_PATH);
    assertTrue(calls.size() >= 2, () -> "tool call and final answer expected: " + calls);
    for (RecordedRequest call : calls) {
      assertEquals(MODEL, call.json().getString("model"));
      assertEquals("Bearer " + UPSTREAM_KEY, call.header("authorization"));
      assertFalse(call.contains(CLIENT_KEY), "the client's key reached Cohere");
    }
  }
}
