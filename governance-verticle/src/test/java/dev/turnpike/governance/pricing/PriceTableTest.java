package dev.turnpike.governance.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  private static final Price SONNET_4_5 = new Price(3, 15, 0.30, 3.75);

  @Test
  void should_price_each_kind_of_token_at_its_own_rate_in_nano_usd() {
    // 1,000 input at $3, 500 output at $15, 10,000 cache reads at $0.30, 2,000 cache writes at $3.75 per MTok.
    long cost = SONNET_4_5.costNanos(new Usage(1_000, 500, 10_000, 2_000));

    assertEquals(3_000_000 + 7_500_000 + 3_000_000 + 7_500_000, cost);
  }

  @Test
  void should_take_the_worst_case_as_every_input_token_at_the_dearer_cache_write_rate_plus_max_tokens() {
    assertEquals(20_000 * 3_750L + 32_000 * 15_000L, SONNET_4_5.worstCaseNanos(20_000, 32_000));
  }

  @Test
  void should_round_a_fraction_of_a_nano_usd_up_so_nothing_is_free() {
    assertEquals(1, new Price(0.0001, 0, 0, 0).costNanos(new Usage(1, 0, 0, 0)));
  }

  @Test
  void should_find_the_built_in_price_of_anthropic_bedrock_and_vertex_names_of_one_model() {
    assertEquals(SONNET_4_5, PriceTable.builtIn("claude-sonnet-4-5"));
    assertEquals(SONNET_4_5, PriceTable.builtIn("claude-sonnet-4-5-20250929"));
    assertEquals(SONNET_4_5, PriceTable.builtIn("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    assertEquals(SONNET_4_5, PriceTable.builtIn("claude-sonnet-4-5@20250929"));
    assertEquals(SONNET_4_5, PriceTable.builtIn("claude-sonnet-4-5[1m]"));
  }

  @Test
  void should_tell_neighbouring_models_apart_and_not_price_an_unknown_newer_version_as_an_older_one() {
    assertEquals(new Price(3, 15, 0.30, 3.75), PriceTable.builtIn("claude-sonnet-4"));
    assertEquals(new Price(15, 75, 1.50, 18.75), PriceTable.builtIn("claude-opus-4-1-20250805"));
    assertEquals(new Price(5, 25, 0.50, 6.25), PriceTable.builtIn("claude-opus-4-5"));
    assertEquals(new Price(0.25, 2, 0.025, 0.25), PriceTable.builtIn("gpt-5-mini"));
    assertEquals(new Price(1.25, 10, 0.125, 1.25), PriceTable.builtIn("gpt-5-2025-08-07"));
    assertNull(PriceTable.builtIn("claude-opus-4-9"), "a version the table does not know");
    assertNull(PriceTable.builtIn("my-finetune"));
  }

  @Test
  void should_prefer_the_configs_price_for_a_provider_and_model_then_for_the_provider_then_the_built_in_one() {
    PriceTable table = PriceTable.fromConfig(new JsonObject("""
        {"pricing": {"openai/gpt-5": {"input_per_mtok": 1.0, "output_per_mtok": 8.0},
                     "local/*": {"input_per_mtok": 0, "output_per_mtok": 0}}}"""));

    assertEquals(new Price(1, 8, 1, 1), table.priceOf(new Target("openai", "openai", "gpt-5")));
    assertEquals(new Price(0, 0, 0, 0), table.priceOf(new Target("local", "openai", "qwen")));
    assertEquals(SONNET_4_5, table.priceOf(new Target("anthropic", "anthropic", "claude-sonnet-4-5")));
    assertNull(table.priceOf(new Target("vllm", "openai", "my-finetune")), "no price, no default: none");
  }

  @Test
  void should_use_the_configured_default_price_for_a_model_nobody_priced() {
    PriceTable table = PriceTable.fromConfig(new JsonObject("""
        {"governance": {"default_price": {"input_per_mtok": 5, "output_per_mtok": 25}}}"""));

    assertEquals(Price.of(5, 25), table.priceOf(new Target("vllm", "openai", "my-finetune")));
  }
}
