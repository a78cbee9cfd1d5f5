package dev.turnpike.governance;

import dev.turnpike.governance.limits.Allowances;
import dev.turnpike.governance.limits.LimitSpec;
import dev.turnpike.governance.limits.Need;
import dev.turnpike.governance.pricing.Price;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** Each limit's current window as the cluster's counter has it: max, spent, reserved (leased), remaining, reset. */
final class LimitsReport {
  private LimitsReport() {}

  static Future<JsonArray> rows(GovernancePolicy policy, Allowances allowances, Instant now,
                                Predicate<String> subjects) {
    List<Future<JsonObject>> rows = new ArrayList<>();
    policy.allLimits().forEach((subject, specs) -> {
      if (!subjects.test(subject)) {
        return;
      }
      for (LimitSpec spec : specs) {
        Need need = spec.need(0, now);
        rows.add(allowances.store().read(need.key()).map(counter -> {
          boolean usd = spec.isBudget();
          return new JsonObject().put("id", spec.id()).put("subject", subject).put("limit", spec.label())
              .put("unit", usd ? "usd" : spec.unit().name().toLowerCase(Locale.ROOT))
              .put("max", amount(spec.limit(), usd)).put("spent", amount(counter.spent(), usd))
              .put("reserved", amount(counter.leased(), usd))
              .put("remaining", amount(Math.max(0, spec.limit() - counter.spent() - counter.leased()), usd))
              .put("window_start", spec.reset().windowStart(now).toString())
              .put("resets_at", Instant.ofEpochMilli(need.windowEndMs()).toString());
        }));
      }
    });
    return Future.all(rows).map(all -> {
      List<JsonObject> list = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        list.add(all.resultAt(i));
      }
      list.sort(Comparator.comparing(o -> o.getString("id")));
      return new JsonArray(new ArrayList<>(list));
    });
  }

  private static Object amount(long value, boolean usd) {
    return usd ? value / (double) Price.NANOS_PER_USD : value;
  }
}
