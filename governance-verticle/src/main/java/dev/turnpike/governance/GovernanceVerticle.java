package dev.turnpike.governance;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Admission;
import dev.turnpike.contract.AdmitRequest;
import dev.turnpike.contract.AttemptSettlement;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.LimitsRequest;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.Reservation;
import dev.turnpike.contract.ReserveRequest;
import dev.turnpike.contract.Usage;
import dev.turnpike.governance.identity.Identities;
import dev.turnpike.governance.limits.Allowances;
import dev.turnpike.governance.limits.LimitExceeded;
import dev.turnpike.governance.limits.LimitSpec;
import dev.turnpike.governance.limits.Need;
import dev.turnpike.governance.pricing.Price;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Admits requests (virtual keys, or the client key's fingerprint when governance is off), reserves each attempt's
 * worst case against the budgets and rate limits that apply and settles it to what it used, and counts usage in
 * maps the cluster shares. One instance per event loop; they share the node's {@link GovernanceState} and
 * {@link UsageLedger}.
 */
public final class GovernanceVerticle extends VerticleBase {
  private final LoopLocal loopLocal;
  private final UsageLedger ledger;
  private final GovernanceState state;
  private final Clock clock;
  private final IdentityAdmin identityAdmin;

  public GovernanceVerticle(LoopLocal loopLocal, UsageLedger ledger, IdentityCatalog catalog, Clock clock) {
    this.loopLocal = loopLocal;
    this.ledger = ledger;
    this.state = catalog.state();
    this.identityAdmin = new IdentityAdmin(catalog, state, clock);
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    Codecs.registerAll(vertx);
    var bus = vertx.eventBus();
    return Future.all(List.of(
        loopLocal.<AdmitRequest>consumer(vertx, Addresses.GOVERNANCE_ADMIT, this::admit),
        loopLocal.<ReserveRequest>consumer(vertx, Addresses.GOVERNANCE_RESERVE, this::reserve),
        loopLocal.<AttemptSettlement>consumer(vertx, Addresses.GOVERNANCE_ATTEMPT_ENDED, this::attemptEnded),
        loopLocal.<ExchangeRecord>consumer(vertx, Addresses.GOVERNANCE_SETTLE, this::settle),
        loopLocal.<LimitsRequest>consumer(vertx, Addresses.GOVERNANCE_LIMITS, this::limits),
        bus.<JsonObject>localConsumer(Addresses.GOVERNANCE_USAGE, this::usage).completion(),
        bus.<JsonObject>localConsumer(Addresses.GOVERNANCE_IDENTITIES, message -> identityAdmin.handle(message.body())
            .onSuccess(message::reply)
            .onFailure(e -> Failure.of(FailureCode.INTERNAL, "The change could not be stored; try again")
                .failReply(message))).completion(),
        bus.<String>consumer(Addresses.governanceReclaim(state.allowances().nodeId()), this::reclaim).completion()));
  }

  private void admit(Message<AdmitRequest> message) {
    AdmitRequest request = message.body();
    Promise<Admission> reply = request.reply();
    String credential = request.credential();
    GovernancePolicy policy = state.policy();
    Identities.VirtualKey key = policy.identities().byValue(credential);
    if (key == null) {
      if (policy.enforceVirtualKeys()) {
        reply.fail(Failure.of(FailureCode.UNAUTHENTICATED, credential == null
            ? "A virtual key is required: send it as x-api-key, Authorization: Bearer or x-turnpike-vk"
            : "Invalid virtual key").asException());
      } else {
        reply.complete(new Admission(credential == null ? "anonymous" : KeyFingerprint.of(credential), null, null, null));
      }
      return;
    }
    if (key.disabled()) {
      reply.fail(Failure.of(FailureCode.FORBIDDEN, "Virtual key '" + key.id() + "' is disabled").asException());
    } else if (key.expired(clock.instant())) {
      reply.fail(Failure.of(FailureCode.FORBIDDEN, "Virtual key '" + key.id() + "' expired at " + key.expiresAt())
          .asException());
    } else {
      reply.complete(new Admission(key.id(), key.id(), key.team(), key.customer(), key.logContent()));
    }
  }

  /** What governance keeps of an attempt's reservation between reserve and settle. */
  private record Held(Allowances.Hold hold, Price price) {}

  private void reserve(Message<ReserveRequest> message) {
    ReserveRequest request = message.body();
    Promise<Reservation> reply = request.reply();
    GovernancePolicy policy = state.policy();
    Admission admission = request.admission();
    Identities.VirtualKey key = admission == null ? null : policy.identities().key(admission.virtualKey());
    if (key != null && !key.mayUse(request.target())) {
      reply.fail(Failure.of(FailureCode.FORBIDDEN, "Virtual key '" + key.id() + "' may not use "
          + request.target().qualifiedModel()).asException());
      return;
    }
    List<LimitSpec> budgets = policy.budgets(key);
    List<LimitSpec> rates = policy.rateLimits(key, request.target());
    if (budgets.isEmpty() && rates.isEmpty()) {
      reply.complete(Reservation.NONE);
      return;
    }
    Price price = budgets.isEmpty() ? null : policy.priceOf(request.target());
    if (!budgets.isEmpty() && price == null) {
      reply.fail(Failure.of(FailureCode.FORBIDDEN, "No price is known for " + request.target().qualifiedModel()
          + ", so its cost cannot be counted against a budget; the operator can add it under pricing, or set "
          + "governance.default_price").asException());
      return;
    }
    long input = request.inputTokens().getAsLong();
    long worstUsd = price == null ? 0 : price.worstCaseNanos(input, request.maxTokens());
    Instant now = clock.instant();
    List<Need> needs = GovernancePolicy.needs(budgets, rates, worstUsd, input + request.maxTokens(), now);
    Allowances allowances = state.allowances();
    allowances.reserve(needs).onComplete(reserved -> {
      if (reserved.succeeded()) {
        reply.complete(new Reservation(new Held(reserved.result(), price), UnifiedHeaders.allowed(needs, allowances)));
      } else if (reserved.cause() instanceof LimitExceeded refusal) {
        reply.fail(Refusals.of(refusal, clock.millis()).asException());
      } else {
        reply.fail(Failure.internal(request.requestId()).asException());
      }
    });
  }

  private void attemptEnded(Message<AttemptSettlement> message) {
    AttemptSettlement settlement = message.body();
    if (settlement.reservation().hold() instanceof Held held) {
      state.allowances().settle(held.hold(), GovernancePolicy.actual(held.hold().needs(), held.price(),
          settlement.usage(), settlement.counted()));
    }
  }

  /** The routing rules' {@code budget_used}, {@code tokens_used}, {@code request}: the tightest of each, in percent. */
  private void limits(Message<LimitsRequest> message) {
    LimitsRequest request = message.body();
    GovernancePolicy policy = state.policy();
    Admission admission = request.admission();
    Identities.VirtualKey key = admission == null ? null : policy.identities().key(admission.virtualKey());
    double budget = 0;
    double tokens = 0;
    double requests = 0;
    Instant now = clock.instant();
    List<LimitSpec> all = new ArrayList<>(policy.budgets(key));
    if (key != null) {
      all.addAll(policy.allLimits().getOrDefault("vk/" + key.id(), List.of()));
    }
    for (LimitSpec spec : all) {
      Need need = spec.need(0, now);
      double used = spec.limit() == 0 ? 100 : 100.0 * state.allowances().spentLately(need) / spec.limit();
      switch (spec.unit()) {
        case NANO_USD -> budget = Math.max(budget, used);
        case TOKENS -> tokens = Math.max(tokens, used);
        case REQUESTS -> requests = Math.max(requests, used);
      }
    }
    request.reply().complete(new Usage.Limits(budget, tokens, requests));
  }

  private void settle(Message<ExchangeRecord> message) {
    UsageSettlement.of(message.body()).forEach(ledger::record);
  }

  /** Another node was refused while this one holds a slice of the counter: give back what is idle, then answer. */
  private void reclaim(Message<String> message) {
    state.allowances().returnIdle(message.body()).onComplete(v -> message.reply(null));
  }

  /** {@code subject} narrows the limits to one ({@code vk/<id>}, {@code team/<id>}, ...); absent: all. */
  private static java.util.function.Predicate<String> subjectFilter(JsonObject query) {
    String subject = query == null ? null : query.getString("subject");
    return subject == null || subject.isBlank() ? s -> true : subject::equals;
  }

  /** Cluster-wide totals: this node flushes first so its own latest requests are included. */
  private void usage(Message<JsonObject> message) {
    ledger.flush()
        .compose(v -> state.allowances().flush())
        .compose(v -> ledger.store().snapshot())
        .compose(snapshot -> LimitsReport.rows(state.policy(), state.allowances(), clock.instant(), subjectFilter(message.body()))
            .map(limits -> render(snapshot).put("limits", limits)))
        .onSuccess(message::reply)
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
        .put("entries", new JsonArray(List.copyOf(entries.values())));
  }
}
