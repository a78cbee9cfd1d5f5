package dev.turnpike.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {
  private static final UsageTotals ONE = new UsageTotals(1, 10, 2, 0, 0);

  /** An in-memory store that records every write and fails the writes of the keys in {@link #failing}. */
  static final class RecordingStore implements UsageStore {
    final InMemoryUsageStore counters = new InMemoryUsageStore();
    final List<String> writes = new ArrayList<>();
    final Set<String> failing = new HashSet<>();

    @Override
    public Future<Void> add(String key, UsageTotals delta) {
      writes.add(key);
      if (failing.contains(key)) {
        return Future.failedFuture(new IllegalStateException("store unavailable for " + key));
      }
      return counters.add(key, delta);
    }

    @Override
    public Future<Map<String, UsageTotals>> snapshot() {
      return counters.snapshot();
    }

    Map<String, UsageTotals> stored() {
      return counters.snapshot().result();
    }
  }

  private final RecordingStore store = new RecordingStore();
  private final UsageLedger ledger = new UsageLedger(store);

  @Test
  void should_write_nothing_to_the_store_when_usage_is_recorded_but_not_flushed() {
    ledger.record("vk-a|anthropic/claude", ONE);

    assertEquals(List.of(), store.writes);
    assertTrue(store.stored().isEmpty());
  }

  @Test
  void should_write_each_key_once_with_its_summed_deltas_when_flushed() {
    for (int i = 0; i < 1000; i++) {
      ledger.record("vk-a|anthropic/claude", ONE);
    }
    ledger.record("vk-b|openai/gpt-5", new UsageTotals(0, 5, 0, 1, 2));

    assertTrue(ledger.flush().succeeded());

    assertEquals(2, store.writes.size(), "one write per dirty key: " + store.writes);
    assertEquals(Map.of(
        "vk-a|anthropic/claude", new UsageTotals(1000, 10_000, 2000, 0, 0),
        "vk-b|openai/gpt-5", new UsageTotals(0, 5, 0, 1, 2)), store.stored());
  }

  @Test
  void should_write_nothing_again_when_flushed_a_second_time_without_new_usage() {
    ledger.record("vk-a|anthropic/claude", ONE);
    ledger.flush();

    assertTrue(ledger.flush().succeeded());

    assertEquals(List.of("vk-a|anthropic/claude"), store.writes);
    assertEquals(Map.of("vk-a|anthropic/claude", ONE), store.stored());
  }

  @Test
  void should_put_a_failed_write_back_and_write_it_with_newer_usage_on_the_next_flush_when_the_store_fails() {
    ledger.record("vk-a|anthropic/claude", ONE);
    ledger.record("vk-b|openai/gpt-5", ONE);
    store.failing.add("vk-a|anthropic/claude");

    assertTrue(ledger.flush().failed(), "a flush whose write failed reports it");
    assertEquals(Map.of("vk-b|openai/gpt-5", ONE), store.stored());

    ledger.record("vk-a|anthropic/claude", new UsageTotals(1, 1, 1, 1, 1));
    store.failing.clear();
    store.writes.clear();
    assertTrue(ledger.flush().succeeded());

    assertEquals(List.of("vk-a|anthropic/claude"), store.writes, "the key written before is not written again");
    assertEquals(Map.of(
        "vk-a|anthropic/claude", new UsageTotals(2, 11, 3, 1, 1),
        "vk-b|openai/gpt-5", ONE), store.stored());
  }

  @Test
  void should_hand_out_the_store_it_writes_to_when_asked() {
    assertEquals(store, ledger.store());
  }
}
