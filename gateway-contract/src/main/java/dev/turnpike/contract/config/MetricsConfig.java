package dev.turnpike.contract.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The {@code metrics} section: Prometheus metrics at {@code /metrics}, on by default.
 *
 * @param guarded whether {@code /metrics} asks for the admin token like the admin API (off by default, as
 *     Prometheus scrapers are usually inside the cluster's network)
 * @param maxLabelValues distinct values a label (model, rule) may take before the rest count as {@code other}
 * @param budgetRefreshSeconds how often the budget gauges read the cluster's counters
 */
public record MetricsConfig(boolean enabled, boolean guarded, int maxLabelValues, int budgetRefreshSeconds) {
  private static final Set<String> KEYS = Set.of("enabled", "guarded", "max_label_values", "budget_refresh_seconds");
  public static final MetricsConfig DEFAULTS = new MetricsConfig(true, false, 500, 5);

  public static MetricsConfig fromJson(JsonObject config, List<String> problems) {
    String path = "metrics";
    JsonObject json = ConfigValues.section(config, path);
    ConfigValues.known(json, path, KEYS, problems);
    return new MetricsConfig(ConfigValues.flag(json, path, "enabled", DEFAULTS.enabled(), problems),
        ConfigValues.flag(json, path, "guarded", DEFAULTS.guarded(), problems),
        (int) ConfigValues.number(json, path, "max_label_values", DEFAULTS.maxLabelValues(), 1, 100_000, problems),
        (int) ConfigValues.number(json, path, "budget_refresh_seconds", DEFAULTS.budgetRefreshSeconds(), 1, 3_600,
            problems));
  }
}
