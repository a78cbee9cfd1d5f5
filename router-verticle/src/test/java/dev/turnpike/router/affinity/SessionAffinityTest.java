package dev.turnpike.router.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.turnpike.contract.RouteDecision;
import dev.turnpike.contract.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionAffinityTest {
  private static final Target GPT = new Target("openai", "openai", "gpt-4o");
  private static final Target LLAMA = new Target("groq", "openai", "llama-3.1-70b");
  private static final Target RESCUE = new Target("anthropic", "anthropic", "claude-rescue");
  private static final Function<String, Target> RESOLVE = name -> switch (name) {
    case "openai/gpt-4o" -> GPT;
    case "groq/llama-3.1-70b" -> LLAMA;
    case "anthropic/claude-rescue" -> RESCUE;
    default -> throw new IllegalArgumentException("no provider for " + name);
  };
  private final Vertx vertx = Vertx.vertx();
  private final Set<Target> open = ConcurrentHashMap.newKeySet();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private RouteDecision route(SessionAffinity affinity, String session, String model, Target chosen)
      throws Exception {
    RouteDecision decision = new RouteDecision(List.of(chosen, RESCUE), "A/B");
    Future<RouteDecision> applied = affinity.apply(session, model, decision, RESOLVE, t -> !open.contains(t),
        vertx.getOrCreateContext());
    return applied.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void should_keep_a_session_on_its_first_target_whatever_the_weights_pick_later() throws Exception {
    SessionAffinity affinity = new SessionAffinity(new LocalAffinityStore(60_000), true, 60_000);

    RouteDecision first = route(affinity, "s-1", "claude-opus-4-5", GPT);
    RouteDecision second = route(affinity, "s-1", "claude-opus-4-5", LLAMA);

    assertEquals("new", first.affinity());
    assertEquals(List.of(GPT, RESCUE), first.targets());
    assertEquals("bound", second.affinity());
    assertEquals(List.of(GPT, LLAMA, RESCUE), second.targets(), "the bound target first, the choice after it");
    assertEquals(LLAMA, route(affinity, "s-2", "claude-opus-4-5", LLAMA).targets().get(0),
        "another session binds on its own");
  }

  @Test
  void should_start_a_new_binding_when_the_session_asks_for_another_model() throws Exception {
    SessionAffinity affinity = new SessionAffinity(new LocalAffinityStore(60_000), true, 60_000);
    route(affinity, "s-1", "claude-opus-4-5", GPT);

    RouteDecision switched = route(affinity, "s-1", "groq/llama-3.1-70b", LLAMA);

    assertEquals("new", switched.affinity());
    assertEquals(LLAMA, switched.targets().get(0));
  }

  @Test
  void should_move_the_session_when_the_bound_targets_breaker_is_open() throws Exception {
    SessionAffinity affinity = new SessionAffinity(new LocalAffinityStore(60_000), true, 60_000);
    route(affinity, "s-1", "claude-opus-4-5", GPT);
    open.add(GPT);

    RouteDecision moved = route(affinity, "s-1", "claude-opus-4-5", LLAMA);
    open.clear();
    RouteDecision after = route(affinity, "s-1", "claude-opus-4-5", GPT);

    assertEquals("moved", moved.affinity());
    assertEquals(LLAMA, moved.targets().get(0));
    assertEquals(LLAMA, after.targets().get(0), "it stays where it moved, even once the old target is back");
  }

  @Test
  void should_agree_on_one_target_when_two_nodes_bind_a_new_session_at_once() throws Exception {
    LocalAffinityStore shared = new LocalAffinityStore(60_000);
    SessionAffinity nodeA = new SessionAffinity(shared, true, 60_000);
    SessionAffinity nodeB = new SessionAffinity(shared, true, 60_000);

    Target onA = route(nodeA, "s-9", "claude-opus-4-5", GPT).targets().get(0);
    Target onB = route(nodeB, "s-9", "claude-opus-4-5", LLAMA).targets().get(0);

    assertEquals(GPT, onA);
    assertEquals(GPT, onB, "the second node finds the first node's binding");
  }

  @Test
  void should_leave_requests_without_a_session_alone() throws Exception {
    SessionAffinity affinity = new SessionAffinity(new LocalAffinityStore(60_000), true, 60_000);
    RouteDecision decision = route(affinity, "", "claude-opus-4-5", LLAMA);
    assertEquals(null, decision.affinity());
    assertEquals(LLAMA, decision.targets().get(0));
  }

  @Test
  void should_forget_a_binding_after_its_time_to_live() throws Exception {
    long[] now = {0};
    SessionAffinity affinity = new SessionAffinity(new LocalAffinityStore(1_000, () -> now[0]), true, 1_000,
        () -> now[0]);
    route(affinity, "s-1", "m", GPT);
    now[0] = 999;
    assertEquals(GPT, route(affinity, "s-1", "m", LLAMA).targets().get(0));
    now[0] = 2_500;
    RouteDecision later = route(affinity, "s-1", "m", LLAMA);
    assertEquals(LLAMA, later.targets().get(0), "expired: the session binds afresh");
    assertEquals("new", later.affinity());
  }

  @Test
  void should_bind_nothing_when_disabled() throws Exception {
    SessionAffinity affinity = new SessionAffinity(new LocalAffinityStore(60_000), false, 60_000);
    route(affinity, "s-1", "m", GPT);
    assertEquals(LLAMA, route(affinity, "s-1", "m", LLAMA).targets().get(0));
  }
}
