package dev.turnpike.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.config.GatewayConfig;
import dev.turnpike.contract.config.MetricsConfig;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code metrics} section: its defaults, and one problem per bad value, named. */
class MetricsConfigLoadTest {
  @Test
  void should_default_to_metrics_on_unguarded_with_bounded_labels() {
    MetricsConfig metrics = GatewayConfig.fromJson(new JsonObject()).metrics();
    assertEquals(MetricsConfig.DEFAULTS, metrics);
    assertTrue(metrics.enabled());
    assertEquals(500, metrics.maxLabelValues());
    assertEquals(5, metrics.budgetRefreshSeconds());
  }

  @Test
  void should_refuse_each_bad_metrics_setting_naming_it() {
    ConfigException error = assertThrows(ConfigException.class, () -> new ConfigLoader(Map.<String, String>of()::get)
        .prepare(new JsonObject("""
            {"metrics": {"enabled": "yes", "max_label_values": 0, "budget_refresh_seconds": 0.5, "path": "/m"}}""")));

    String all = String.join("\n", error.problems());
    assertEquals(4, error.problems().size(), all);
    assertTrue(all.contains("metrics.enabled must be true or false"), all);
    assertTrue(all.contains("metrics.max_label_values must be a whole number from 1"), all);
    assertTrue(all.contains("metrics.budget_refresh_seconds must be a whole number from 1 to 3600"), all);
    assertTrue(all.contains("metrics.path is not a known setting"), all);
  }
}
