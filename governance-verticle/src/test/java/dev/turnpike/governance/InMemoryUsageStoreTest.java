package dev.turnpike.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryUsageStoreTest {
  @Test
  void should_add_deltas_of_one_key_together_when_written_twice() {
    InMemoryUsageStore store = new InMemoryUsageStore();

    store.add("vk-a|anthropic/claude", new UsageTotals(1, 10, 2, 3, 4));
    store.add("vk-a|anthropic/claude", new UsageTotals(1, 1, 1, 1, 1));
    store.add("vk-b|openai/gpt-5", new UsageTotals(1, 0, 0, 0, 0));

    assertEquals(Map.of(
        "vk-a|anthropic/claude", new UsageTotals(2, 11, 3, 4, 5),
        "vk-b|openai/gpt-5", new UsageTotals(1, 0, 0, 0, 0)), store.snapshot().result());
  }

  @Test
  void should_keep_a_snapshot_unchanged_when_usage_is_added_after_it() {
    InMemoryUsageStore store = new InMemoryUsageStore();
    store.add("vk-a|anthropic/claude", new UsageTotals(1, 10, 0, 0, 0));
    Map<String, UsageTotals> before = store.snapshot().result();

    store.add("vk-a|anthropic/claude", new UsageTotals(1, 10, 0, 0, 0));

    assertEquals(Map.of("vk-a|anthropic/claude", new UsageTotals(1, 10, 0, 0, 0)), before);
  }
}
