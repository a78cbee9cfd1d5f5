package dev.turnpike.governance;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.AdmitRequest;
import dev.turnpike.contract.Admission;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.LimitsRequest;
import dev.turnpike.contract.Usage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Admits requests (virtual keys, or the client key's fingerprint when governance is off) and settles their
 * usage into counters shared by the cluster. One instance per event loop; they share the node's
 * {@link UsageLedger}, which the node owns and flushes.
 */
public final class GovernanceVerticle extends VerticleBase {
  private final LoopLocal loopLocal;
  private final UsageLedger ledger;
  private boolean enforceVirtualKeys;
  private VirtualKeys virtualKeys;

  public GovernanceVerticle(LoopLocal loopLocal, UsageLedger ledger) {
    this.loopLocal = loopLocal;
    this.ledger = ledger;
  }

  @Override
  public Future<?> start() {
    Codecs.registerAll(vertx);
    JsonObject governance = config().getJsonObject("governance", new JsonObject());
    enforceVirtualKeys = governance.getBoolean("enforce_virtual_keys", false);
    virtualKeys = VirtualKeys.fromGovernanceJson(governance);
    var bus = vertx.eventBus();
    return Future.all(
        loopLocal.<AdmitRequest>consumer(vertx, Addresses.GOVERNANCE_ADMIT, this::admit),
        loopLocal.<ExchangeRecord>consumer(vertx, Addresses.GOVERNANCE_SETTLE, this::settle),
        // Budgets and rate limits are not enforced yet: nothing applies, so nothing is used.
        loopLocal.<LimitsRequest>consumer(vertx, Addresses.GOVERNANCE_LIMITS,
            message -> message.body().reply().complete(Usage.Limits.NONE)),
        bus.<JsonObject>localConsumer(Addresses.GOVERNANCE_USAGE, this::usage).completion());
  }

  private void admit(Message<AdmitRequest> message) {
    AdmitRequest request = message.body();
    Promise<Admission> reply = request.reply();
    String credential = request.credential();
    if (enforceVirtualKeys) {
      Admission admission = virtualKeys.lookup(credential);
      if (admission == null) {
        reply.fail(Failure.of(FailureCode.UNAUTHENTICATED, credential == null
            ? "A virtual key is required: send it as x-api-key or Authorization: Bearer"
            : "Invalid virtual key").asException());
        return;
      }
      reply.complete(admission);
      return;
    }
    String subject = credential == null ? "anonymous" : KeyFingerprint.of(credential);
    reply.complete(new Admission(subject, null, null, null));
  }

  private void settle(Message<ExchangeRecord> message) {
    UsageSettlement.of(message.body()).forEach(ledger::record);
  }

  /** Cluster-wide totals: this node flushes first so its own latest requests are included. */
  private void usage(Message<JsonObject> message) {
    ledger.flush()
        .compose(v -> ledger.store().snapshot())
        .onSuccess(snapshot -> message.reply(render(snapshot)))
        .onFailure(e -> Failure.of(FailureCode.INTERNAL, "Usage could not be read").failReply(message));
  }

  private static JsonObject render(Map<String, UsageTotals> snapshot) {
    UsageTotals total = UsageTotals.ZERO;
    Map<String, UsageTotals> bySubject = new TreeMap<>();
    Map<String, UsageTotals> byModel = new TreeMap<>();
    Map<String, JsonObject> entries = new TreeMap<>();
    for (Map.Entry<String, UsageTotals> entry : snapshot.entrySet()) {
      String subject = UsageKey.subject(entry.getKey());
      String model = UsageKey.model(entry.getKey());
      UsageTotals totals = entry.getValue();
      total = total.plus(totals);
      bySubject.merge(subject, totals, UsageTotals::plus);
      byModel.merge(model, totals, UsageTotals::plus);
      entries.put(entry.getKey(), totals.toJson().put("subject", subject).put("model", model));
    }
    JsonObject subjects = new JsonObject();
    bySubject.forEach((k, v) -> subjects.put(k, v.toJson()));
    JsonObject models = new JsonObject();
    byModel.forEach((k, v) -> models.put(k, v.toJson()));
    return new JsonObject()
        .put("totals", total.toJson())
        .put("by_subject", subjects)
        .put("by_model", models)
        .put("entries", new io.vertx.core.json.JsonArray(java.util.List.copyOf(entries.values())));
  }
}
