package dev.turnpike.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Admission;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.Operation;
import dev.turnpike.router.affinity.LocalAffinityStore;
import dev.turnpike.router.affinity.SessionAffinity;
import dev.turnpike.router.breakers.BreakerPolicy;
import dev.turnpike.router.breakers.CircuitBreakers;
import dev.turnpike.router.breakers.LocalBreakerBoard;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.RouteDecision;
import dev.turnpike.contract.RouteRequest;
import dev.turnpike.contract.Target;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real verticle on a plain Vert.x, spoken to over the event bus the way the edge does. */
class RouterVerticleTest {
  private static final JsonObject CONFIG = new JsonObject("""
      {"providers": {
         "anthropic": {"dialect": "anthropic", "base_url": "http://127.0.0.1:1"},
         "openai":    {"dialect": "openai",    "base_url": "http://127.0.0.1:2"},
         "groq":      {"dialect": "openai",    "base_url": "http://127.0.0.1:3/openai"}},
       "fallbacks": {"anthropic/*": ["openai/gpt-5", "groq/llama-3.3-70b-versatile"]}}""");
  private static final Admission ADMISSION = new Admission("vk-alice", "vk-alice", "platform", "acme");

  private Vertx vertx;
  private LoopLocal loopLocal;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    loopLocal = new LoopLocal();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private void deploy(int instances) {
    vertx.deployVerticle(() -> new RouterVerticle(loopLocal,
        new RoutingState(CONFIG, () -> 0.5, RulesStore.LOCAL),
        new CircuitBreakers(BreakerPolicy.DEFAULTS, new LocalBreakerBoard()),
        new SessionAffinity(new LocalAffinityStore(60_000), true, 60_000)),
        new DeploymentOptions().setConfig(CONFIG).setInstances(instances)).await();
  }

  private static RequestParams params(String model) {
    return new RequestParams(model, true, 1024, true, false, 1, false);
  }

  private Future<RouteDecision> route(String requestId, RequestParams params) {
    Promise<RouteDecision> reply = Promise.promise();
    vertx.eventBus().send(loopLocal.address(Addresses.ROUTER_ROUTE),
        new RouteRequest(requestId, Operation.MESSAGES, params, Map.of("user-agent", "claude-cli/2.0"), Map.of(),
            null, ADMISSION, reply), Codecs.LOCAL);
    return reply.future();
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** The failure a future ended with; fails the test when it succeeded or never completed. */
  private static Failure failure(Future<?> future) {
    ExecutionException error = assertThrows(ExecutionException.class, () -> result(future));
    return Failure.from(error.getCause());
  }

  @Test
  void should_reply_with_the_primary_then_its_fallbacks_in_order_when_the_model_has_fallbacks() throws Exception {
    deploy(1);

    RouteDecision decision = result(route("tp-route-1", params("claude-sonnet-4-5")));

    assertEquals(List.of(new Target("anthropic", "anthropic", "claude-sonnet-4-5"),
        new Target("openai", "openai", "gpt-5"), new Target("groq", "openai", "llama-3.3-70b-versatile")),
        decision.targets());
    assertNull(decision.matchedRule());
  }

  @Test
  void should_reply_with_the_named_provider_alone_when_the_model_is_provider_qualified_without_fallbacks()
      throws Exception {
    deploy(1);

    RouteDecision decision = result(route("tp-route-2", params("groq/meta-llama/llama-4")));

    assertEquals(List.of(new Target("groq", "openai", "meta-llama/llama-4")), decision.targets());
  }

  @Test
  void should_fail_not_found_naming_the_model_when_it_names_no_configured_provider() {
    deploy(1);

    Failure failure = failure(route("tp-route-3", params("gemini/gemini-2.5-pro")));

    assertEquals(FailureCode.NOT_FOUND, failure.code());
    assertTrue(failure.message().contains("gemini/gemini-2.5-pro"), failure.message());
  }

  @Test
  void should_fail_invalid_request_when_the_model_is_blank() {
    deploy(1);

    assertEquals(FailureCode.INVALID_REQUEST, failure(route("tp-route-4", params(" "))).code());
  }

  @Test
  void should_complete_the_reply_with_an_internal_failure_naming_the_request_when_params_is_null() {
    deploy(1);

    Failure failure = failure(route("tp-route-bug-7", null));

    assertEquals(FailureCode.INTERNAL, failure.code());
    assertTrue(failure.message().contains("tp-route-bug-7"), failure.message());
    assertFalse(failure.message().contains("NullPointer"), "no internals reach the client: " + failure.message());
  }

  @Test
  void should_keep_routing_when_an_earlier_request_failed_with_a_bug() throws Exception {
    deploy(1);
    failure(route("tp-route-bug-8", null));

    RouteDecision decision = result(route("tp-route-9", params("openai/gpt-5")));

    assertEquals(List.of(new Target("openai", "openai", "gpt-5")), decision.targets());
  }

  @Test
  void should_serve_each_event_loops_own_address_when_deployed_on_every_loop() throws Exception {
    deploy(2);

    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Context loop = ((VertxInternal) vertx).createEventLoopContext();
      Promise<String> answer = Promise.promise();
      loop.runOnContext(v -> {
        String address = loopLocal.address(Addresses.ROUTER_ROUTE);
        Promise<RouteDecision> routed = Promise.promise();
        vertx.eventBus().send(address,
            new RouteRequest("tp-loop", Operation.MESSAGES, params("openai/gpt-5"), Map.of(), Map.of(), null,
                ADMISSION, routed), Codecs.LOCAL);
        routed.future().map(d -> address + " " + d.targets().get(0).qualifiedModel()).onComplete(answer);
      });
      answers.add(answer.future());
    }

    for (String answer : result(Future.all(answers)).<String>list()) {
      assertTrue(answer.startsWith(Addresses.ROUTER_ROUTE + "@"), answer);
      assertTrue(answer.endsWith(" openai/gpt-5"), answer);
    }
  }

  @Test
  void should_fail_to_deploy_when_a_fallback_names_no_configured_provider() {
    JsonObject config = CONFIG.copy().put("fallbacks", new JsonObject().put("*", new JsonArray()
        .add("gemini/gemini-2.5-pro")));

    assertThrows(Exception.class, () -> vertx.deployVerticle(() -> new RouterVerticle(loopLocal,
        new RoutingState(config, () -> 0.5, RulesStore.LOCAL),
        new CircuitBreakers(BreakerPolicy.DEFAULTS, new LocalBreakerBoard()),
        new SessionAffinity(new LocalAffinityStore(60_000), true, 60_000)),
        new DeploymentOptions().setConfig(config)).await());
  }
}
