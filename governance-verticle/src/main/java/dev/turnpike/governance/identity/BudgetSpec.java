package dev.turnpike.governance.identity;

import dev.turnpike.governance.limits.Reset;
import dev.turnpike.governance.pricing.Price;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A budget as configured: {@code {"max_usd": 20, "reset": "1d", "on_partition": "closed"}}.
 *
 * @param openOnPartition {@code on_partition: "open"}: a node cut off from the cluster spends its local slice
 */
public record BudgetSpec(long maxNanoUsd, Reset reset, boolean openOnPartition) {
  /** The budget at {@code path}, or null when absent; problems are added to {@code problems}. */
  static BudgetSpec parse(JsonObject owner, String path, List<String> problems) {
    Object value = owner.getValue("budget");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject budget)) {
      problems.add(path + ".budget must be an object such as {\"max_usd\": 20, \"reset\": \"1d\"}");
      return null;
    }
    for (String key : budget.fieldNames()) {
      if (!List.of("max_usd", "reset", "on_partition").contains(key)) {
        problems.add(path + ".budget." + key + " is not a known setting (known here: max_usd, on_partition, reset)");
      }
    }
    if (!(budget.getValue("max_usd") instanceof Number max) || max.doubleValue() < 0) {
      problems.add(path + ".budget.max_usd must be a number of USD, 0 or more");
      return null;
    }
    Reset reset;
    try {
      reset = Reset.parse(budget.getString("reset", "1M"));
    } catch (IllegalArgumentException | ClassCastException e) {
      problems.add(path + ".budget.reset must be one of 1m 5m 1h 1d 1w 1M 1Q 1Y");
      return null;
    }
    String partition = budget.getString("on_partition", "closed");
    if (!"closed".equals(partition) && !"open".equals(partition)) {
      problems.add(path + ".budget.on_partition must be \"closed\" (refuse while cut off) or \"open\" (spend the local slice)");
      return null;
    }
    return new BudgetSpec(Math.round(max.doubleValue() * Price.NANOS_PER_USD), reset, "open".equals(partition));
  }
}
