package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A circuit breaker over real HTTP: it opens on failures, skips the target, probes after the cool-down, recovers. */
class BreakersTest {
  private static final AtomicBoolean SICK = new AtomicBoolean(true);
  private static Vertx fakes;
  private static FakeAnthropicUpstream flaky;
  private static FakeAnthropicUpstream rescue;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    flaky = new FakeAnthropicUpstream(fakes).script(r -> SICK.get() ? Reply.error(503, "api_error", "down for now")
        : Reply.text("recovered")).start().await();
    rescue = new FakeAnthropicUpstream(fakes).script(r -> Reply.text("rescued")).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("breakers", new JsonObject().put("consecutive_failures", 2).put("cooldown_ms", 400))
        .put("providers", new JsonObject()
            .put("flaky", GatewayHarness.provider("anthropic", flaky.baseUrl(), "sk-f"))
            .put("rescue", GatewayHarness.provider("anthropic", rescue.baseUrl(), "sk-r")))
        .put("fallbacks", new JsonObject().put("flaky/*", new JsonArray().add("rescue/claude-rescue"))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  private static String target() throws Exception {
    HttpResponse<String> response = gateway.messages(new JsonObject().put("model", "flaky/claude-x")
        .put("max_tokens", 8).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "hi"))).encode());
    assertEquals(200, response.statusCode(), response.body());
    return response.headers().firstValue("x-turnpike-target").orElse("");
  }

  @Test
  void should_open_skip_probe_and_close_again_when_the_target_recovers() throws Exception {
    assertEquals("rescue/claude-rescue", target());
    assertEquals("rescue/claude-rescue", target());
    int triedWhileSick = flaky.requests().size();
    assertEquals(2, triedWhileSick, "two failures open the breaker");

    assertEquals("rescue/claude-rescue", target());
    assertEquals("rescue/claude-rescue", target());
    assertEquals(triedWhileSick, flaky.requests().size(), "open: the sick target is not even tried");

    SICK.set(false);
    long deadline = System.nanoTime() + 5_000_000_000L;
    String probe;
    do {
      probe = target(); // skipped until the cool-down ends, then one request probes it
    } while (!probe.equals("flaky/claude-x") && System.nanoTime() < deadline);
    assertEquals("flaky/claude-x", probe, "the probe went through and succeeded");
    assertEquals("flaky/claude-x", target(), "closed again: the target is used as before");
    assertEquals(triedWhileSick + 2, flaky.requests().size());
  }
}
