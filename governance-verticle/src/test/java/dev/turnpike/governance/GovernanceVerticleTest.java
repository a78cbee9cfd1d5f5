package dev.turnpike.governance;

import static dev.turnpike.governance.Records.GPT5;
import static dev.turnpike.governance.Records.SONNET;
import static dev.turnpike.governance.Records.admitted;
import static dev.turnpike.governance.Records.answered;
import static dev.turnpike.governance.Records.failed;
import static dev.turnpike.governance.Records.messages;
import static dev.turnpike.governance.Records.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.AdmitRequest;
import dev.turnpike.contract.Admission;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Usage;
import dev.turnpike.governance.identity.KeyHasher;
import dev.turnpike.governance.identity.LocalIdentityStore;
import dev.turnpike.governance.limits.Allowances;
import dev.turnpike.governance.limits.LocalCounterStore;
import java.time.Clock;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
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
class GovernanceVerticleTest {
  private static final JsonObject ENFORCED = new JsonObject("""
      {"governance": {"enforce_virtual_keys": true,
        "customers": [{"id": "acme"}, {"id": "globex"}],
        "teams": [{"id": "platform", "customer": "acme"}],
        "virtual_keys": [
          {"id": "vk-alice", "value": "tp-vk-alice-secret", "team": "platform"},
          {"id": "vk-bob",   "value": "tp-vk-bob-secret",   "team": "platform", "customer": "globex"},
          {"id": "vk-dave",  "value": "tp-vk-dave-secret",  "team": "platform", "disabled": true}]}}""");
  /** The same keys with enforcement left at its default (off). */
  private static final JsonObject NOT_ENFORCED = new JsonObject().put("governance",
      ENFORCED.getJsonObject("governance").copy().put("enforce_virtual_keys", false));

  private Vertx vertx;
  private LoopLocal loopLocal;
  private InMemoryUsageStore store;
  private UsageLedger ledger;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    loopLocal = new LoopLocal();
    store = new InMemoryUsageStore();
    ledger = new UsageLedger(store);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private void deploy(JsonObject config) {
    deploy(config, ledger, 1);
  }

  private void deploy(JsonObject config, UsageLedger ledger, int instances) {
    Allowances allowances = new Allowances(vertx, "node-1", new LocalCounterStore(), Allowances.Settings.DEFAULT,
        System::currentTimeMillis);
    KeyHasher hasher = KeyHasher.withRandomSalt();
    GovernanceState state = new GovernanceState(config, hasher, allowances);
    IdentityCatalog catalog = new IdentityCatalog(config, new LocalIdentityStore(), hasher, state);
    vertx.deployVerticle(() -> new GovernanceVerticle(loopLocal, ledger, catalog, Clock.systemUTC()),
        new DeploymentOptions().setConfig(config).setInstances(instances)).await();
  }

  private Future<Admission> admit(String credential) {
    Promise<Admission> reply = Promise.promise();
    vertx.eventBus().send(loopLocal.address(Addresses.GOVERNANCE_ADMIT),
        new AdmitRequest("tp-admit-1", credential, reply), Codecs.LOCAL);
    return reply.future();
  }

  private void settle(ExchangeRecord record) {
    vertx.eventBus().send(loopLocal.address(Addresses.GOVERNANCE_SETTLE), record, Codecs.LOCAL);
  }

  private Future<JsonObject> usage() {
    return vertx.eventBus().<JsonObject>request(Addresses.GOVERNANCE_USAGE, new JsonObject(), Codecs.LOCAL)
        .map(Message::body);
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** The failure a future ended with; fails the test when it succeeded or never completed. */
  private static Failure failure(Future<?> future) {
    ExecutionException error = assertThrows(ExecutionException.class, () -> result(future));
    return Failure.from(error.getCause());
  }

  private static JsonObject entry(JsonObject usage, String key) {
    for (Object entry : usage.getJsonArray("entries")) {
      JsonObject e = (JsonObject) entry;
      if (key.equals(UsageKey.of(e.getString("subject"), e.getString("model")))) {
        return e;
      }
    }
    return null;
  }

  private static JsonObject totals(long requests, long input, long output, long cacheRead, long cacheCreation) {
    return new UsageTotals(requests, input, output, cacheRead, cacheCreation).toJson();
  }

  private static JsonObject withoutNames(JsonObject entry) {
    JsonObject copy = entry.copy();
    copy.remove("subject");
    copy.remove("model");
    return copy;
  }

  @Test
  void should_admit_as_the_virtual_keys_id_team_and_customer_when_keys_are_enforced() throws Exception {
    deploy(ENFORCED);

    assertEquals(new Admission("vk-alice", "vk-alice", "platform", "acme"), result(admit("tp-vk-alice-secret")));
    assertEquals(new Admission("vk-bob", "vk-bob", "platform", "globex"), result(admit("tp-vk-bob-secret")));
  }

  @Test
  void should_fail_unauthenticated_asking_for_a_key_when_keys_are_enforced_and_none_is_sent() {
    deploy(ENFORCED);

    Failure failure = failure(admit(null));

    assertEquals(FailureCode.UNAUTHENTICATED, failure.code());
    assertTrue(failure.message().contains("virtual key is required"), failure.message());
  }

  @Test
  void should_fail_unauthenticated_without_echoing_the_key_when_keys_are_enforced_and_the_key_is_unknown() {
    deploy(ENFORCED);

    Failure failure = failure(admit("tp-vk-mallory-guess"));

    assertEquals(FailureCode.UNAUTHENTICATED, failure.code());
    assertEquals("Invalid virtual key", failure.message());
  }

  @Test
  void should_fail_forbidden_naming_the_key_when_the_key_is_disabled() {
    deploy(ENFORCED);

    Failure failure = failure(admit("tp-vk-dave-secret"));

    assertEquals(FailureCode.FORBIDDEN, failure.code());
    assertEquals("Virtual key 'vk-dave' is disabled", failure.message());
  }

  @Test
  void should_fail_forbidden_when_the_key_has_expired() {
    JsonObject config = ENFORCED.copy();
    config.getJsonObject("governance").getJsonArray("virtual_keys").add(new JsonObject()
        .put("id", "vk-old").put("value", "tp-vk-old-secret").put("expires_at", "2020-01-01T00:00:00Z"));
    deploy(config);

    Failure failure = failure(admit("tp-vk-old-secret"));

    assertEquals(FailureCode.FORBIDDEN, failure.code());
    assertTrue(failure.message().contains("expired at 2020-01-01T00:00:00Z"), failure.message());
  }

  @Test
  void should_admit_a_configured_key_as_itself_and_any_other_under_its_fingerprint_when_keys_are_not_enforced()
      throws Exception {
    deploy(NOT_ENFORCED);

    Admission virtual = result(admit("tp-vk-alice-secret"));
    Admission unknown = result(admit("sk-ant-someone-elses-key"));

    assertEquals(new Admission("vk-alice", "vk-alice", "platform", "acme"), virtual);
    assertEquals(new Admission(KeyFingerprint.of("sk-ant-someone-elses-key"), null, null, null), unknown);
    assertTrue(unknown.subject().matches("key:[0-9a-f]{16}"), unknown.subject());
  }

  @Test
  void should_admit_as_anonymous_when_keys_are_not_enforced_and_no_key_is_sent() throws Exception {
    deploy(new JsonObject());

    assertEquals(new Admission("anonymous", null, null, null), result(admit(null)));
  }

  @Test
  void should_report_each_targets_tokens_and_one_request_on_the_last_target_when_a_settled_request_failed_over()
      throws Exception {
    deploy(ENFORCED);

    settle(messages(admitted("vk-alice"),
        failed(SONNET, FailureCode.UPSTREAM_OVERLOADED, new Usage(100, 0, 40, 0)),
        answered(GPT5, new Usage(120, 30, 0, 7))));
    JsonObject usage = result(usage());

    assertEquals(totals(1, 220, 30, 40, 7), usage.getJsonObject("totals"));
    assertEquals(2, usage.getJsonArray("entries").size(), usage.encodePrettily());
    assertEquals(totals(0, 100, 0, 40, 0),
        withoutNames(entry(usage, "vk-alice|anthropic/claude-sonnet-4-5")));
    assertEquals(totals(1, 120, 30, 0, 7), withoutNames(entry(usage, "vk-alice|openai/gpt-5")));
    assertEquals(new JsonObject().put("vk-alice", totals(1, 220, 30, 40, 7)), usage.getJsonObject("by_subject"));
    assertEquals(new JsonObject()
            .put("anthropic/claude-sonnet-4-5", totals(0, 100, 0, 40, 0))
            .put("openai/gpt-5", totals(1, 120, 30, 0, 7)),
        usage.getJsonObject("by_model"));
    assertEquals(Map.of(
            "vk-alice|anthropic/claude-sonnet-4-5", new UsageTotals(0, 100, 0, 40, 0),
            "vk-alice|openai/gpt-5", new UsageTotals(1, 120, 30, 0, 7)),
        result(store.snapshot()), "the usage request flushed the ledger into the store");
  }

  @Test
  void should_count_nothing_when_a_count_tokens_record_is_settled() throws Exception {
    deploy(ENFORCED);

    settle(record(Operation.COUNT_TOKENS, admitted("vk-alice"), answered(SONNET, new Usage(500, 0, 0, 0))));
    // A request settled after it shows the count_tokens record was settled (in order, on the same loop) and ignored.
    settle(messages(admitted("vk-bob"), answered(SONNET, new Usage(1, 1, 0, 0))));
    JsonObject usage = result(usage());

    assertEquals(totals(1, 1, 1, 0, 0), usage.getJsonObject("totals"), usage.encodePrettily());
    assertNull(entry(usage, "vk-alice|anthropic/claude-sonnet-4-5"), usage.encodePrettily());
    assertFalse(usage.getJsonObject("by_subject").containsKey("vk-alice"), usage.encodePrettily());
  }

  @Test
  void should_add_this_nodes_unflushed_usage_to_the_clusters_totals_when_usage_is_asked() throws Exception {
    deploy(ENFORCED);
    store.add("vk-alice|openai/gpt-5", new UsageTotals(4, 400, 40, 0, 0)); // flushed earlier, by any node

    settle(messages(admitted("vk-alice"), answered(GPT5, new Usage(10, 1, 0, 0))));
    settle(messages(admitted("vk-alice"), answered(GPT5, new Usage(10, 1, 0, 0))));
    JsonObject usage = result(usage());

    assertEquals(totals(6, 420, 42, 0, 0), withoutNames(entry(usage, "vk-alice|openai/gpt-5")));
    assertEquals(totals(6, 420, 42, 0, 0), usage.getJsonObject("totals"));
  }

  @Test
  void should_answer_zero_totals_and_no_entries_when_nothing_was_settled() throws Exception {
    deploy(ENFORCED);

    JsonObject usage = result(usage());

    assertEquals(totals(0, 0, 0, 0, 0), usage.getJsonObject("totals"));
    assertEquals(new JsonArray(), usage.getJsonArray("entries"));
    assertEquals(new JsonObject(), usage.getJsonObject("by_subject"));
  }

  @Test
  void should_fail_the_usage_request_with_internal_when_the_store_cannot_be_read() {
    UsageStore broken = new UsageStore() {
      @Override
      public Future<Void> add(String key, UsageTotals delta) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Map<String, UsageTotals>> snapshot() {
        return Future.failedFuture(new IllegalStateException("cluster map unreachable"));
      }
    };
    deploy(ENFORCED, new UsageLedger(broken), 1);

    Failure failure = failure(usage());

    assertEquals(FailureCode.INTERNAL, failure.code());
    assertFalse(failure.message().contains("unreachable"), "no internals reach the client: " + failure.message());
  }

  @Test
  void should_serve_admit_and_settle_on_each_event_loops_own_address_when_deployed_on_every_loop() throws Exception {
    deploy(ENFORCED, ledger, 2);

    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Context loop = ((VertxInternal) vertx).createEventLoopContext();
      Promise<String> answer = Promise.promise();
      loop.runOnContext(v -> {
        String admitAddress = loopLocal.address(Addresses.GOVERNANCE_ADMIT);
        String settleAddress = loopLocal.address(Addresses.GOVERNANCE_SETTLE);
        Promise<Admission> admitted = Promise.promise();
        vertx.eventBus().send(admitAddress, new AdmitRequest("tp-loop", "tp-vk-alice-secret", admitted), Codecs.LOCAL);
        admitted.future().map(a -> admitAddress + " " + settleAddress + " " + a.subject()).onComplete(answer);
      });
      answers.add(answer.future());
    }

    for (String answer : result(Future.all(answers)).<String>list()) {
      String[] parts = answer.split(" ");
      assertTrue(parts[0].startsWith(Addresses.GOVERNANCE_ADMIT + "@"), answer);
      assertTrue(parts[1].startsWith(Addresses.GOVERNANCE_SETTLE + "@"), answer);
      assertEquals("vk-alice", parts[2]);
    }
  }
}
