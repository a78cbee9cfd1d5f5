package dev.turnpike.edge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.turnpike.contract.FailureCode;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Label values stay within what the config names and the price list knows, whatever clients send. */
class MetricLabelsTest {
  private static final JsonObject CONFIG = new JsonObject("""
      {"providers": {
         "main": {"dialect": "anthropic", "base_url": "http://127.0.0.1:1", "models": ["claude-listed"],
                  "keys": [{"value": "sk-secret", "models": ["claude-key-only"]}]},
         "spare": {"dialect": "openai", "base_url": "http://127.0.0.1:2"}},
       "aliases": {"fast": "spare/gpt-aliased"},
       "pricing": {"main/claude-priced": {"input_per_mtok": 1, "output_per_mtok": 2},
                   "spare/*": {"input_per_mtok": 1, "output_per_mtok": 2}},
       "fallbacks": {"main/*": ["spare/gpt-fallback"]},
       "routing_rules": [{"name": "r", "cel_expression": "true",
                          "targets": [{"provider": "main", "model": "claude-ruled"}],
                          "fallbacks": ["spare/gpt-rule-fallback"]}]}""");

  /** Stands in for the built-in price list: one family name. */
  private static String priceList(String model) {
    return model.startsWith("claude-sonnet-4-5") ? "claude-sonnet-4-5" : null;
  }

  private static MetricLabels labels(int max) {
    return MetricLabels.fromConfig(CONFIG, MetricLabelsTest::priceList, max);
  }

  @Test
  void should_keep_every_model_name_the_config_mentions() {
    MetricLabels labels = labels(500);
    for (String model : new String[] {"claude-listed", "claude-key-only", "fast", "gpt-aliased", "claude-priced",
        "gpt-fallback", "claude-ruled", "gpt-rule-fallback"}) {
      assertEquals(model, labels.model(model));
    }
    assertEquals("claude-priced", labels.model("main/claude-priced"), "provider/model counts as its model");
  }

  @Test
  void should_label_a_price_list_variant_by_its_list_name_and_anything_else_other() {
    MetricLabels labels = labels(500);
    assertEquals("claude-sonnet-4-5", labels.model("claude-sonnet-4-5-20250929"));
    assertEquals("claude-sonnet-4-5", labels.model("main/claude-sonnet-4-5-made-up"));
    assertEquals("other", labels.model("claude-invented"));
    assertEquals("other", labels.model("*"), "a pricing wildcard is no model");
    assertEquals("other", labels.model("nobody/claude-listed"), "an unconfigured provider prefix is not stripped");
    assertEquals("none", labels.model(null));
  }

  @Test
  void should_bound_providers_statuses_and_failures() {
    MetricLabels labels = labels(500);
    assertEquals("main", labels.provider("main"));
    assertEquals("other", labels.provider("invented"));
    assertEquals("none", labels.provider(null));
    assertEquals("429", MetricLabels.status(429));
    assertEquals("other", MetricLabels.status(1234));
    assertEquals("budget_exhausted", MetricLabels.failure(FailureCode.BUDGET_EXHAUSTED));
    assertEquals("none", MetricLabels.failure(null));
  }

  @Test
  void should_take_no_more_distinct_values_than_max_label_values() {
    MetricLabels labels = labels(3);
    Set<String> rules = new HashSet<>();
    Set<String> models = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      rules.add(labels.rule("rule-" + i));
      models.add(labels.model(i % 2 == 0 ? "claude-listed" : "claude-sonnet-4-5-" + i));
    }
    models.add(labels.model("claude-priced"));
    models.add(labels.model("claude-ruled"));
    assertEquals(Set.of("rule-0", "rule-1", "rule-2", "other"), rules);
    assertEquals("rule-1", labels.rule("rule-1"), "a value taken before the cap keeps its name");
    assertEquals(Set.of("claude-listed", "claude-sonnet-4-5", "claude-priced", "other"), models);
    assertEquals("none", labels.rule(null));
  }

  @Test
  void should_never_take_a_value_from_a_flood_of_made_up_names() {
    MetricLabels labels = labels(500);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      seen.add(labels.model("made-up-" + i));
      seen.add(labels.provider("made-up-" + i));
    }
    assertEquals(Set.of("other"), seen);
  }
}
