package dev.turnpike.governance.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Admission;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import dev.turnpike.governance.GovernancePolicy;
import dev.turnpike.governance.identity.KeyHasher;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The writer's batching: records that trickle in (as requests end, a few milliseconds apart) go to the store in a
 * few transactions, not one each (a commit per row costs the store ten times a batched row); a full queue drops and
 * counts; one record that cannot become a row is dropped alone.
 */
class RequestLogWriterTest {
  private static final GovernancePolicy POLICY = GovernancePolicy.fromConfig(new JsonObject(),
      KeyHasher.withRandomSalt(), new ArrayList<>());

  private static ExchangeRecord record(String id) {
    Target target = new Target("p", "anthropic", "m");
    Usage usage = new Usage(10, 2, 0, 0);
    return new ExchangeRecord(id, "node", Operation.MESSAGES, 1, 5, 9, 1, 2, 8, 3, new Admission("key:x", null, null,
        null), "p/m", true, null, null, List.of(new ExchangeRecord.Attempt(target, 3, 4, 9, null, usage)), 200, null,
        null, usage, ExchangeRecord.ClientInfo.NONE, null);
  }

  @Test
  void should_gather_records_that_trickle_in_into_one_transaction_per_round() throws Exception {
    List<Integer> transactions = new CopyOnWriteArrayList<>();
    try (RequestLogWriter writer = new RequestLogWriter(rows -> transactions.add(rows.size()), () -> POLICY, 1000,
        2_000, System::currentTimeMillis, () -> { })) {
      for (int i = 0; i < 20; i++) {
        writer.accept(record("r" + i));
        Thread.sleep(10); // requests ending one after another, not all at once
      }
      awaitWritten(writer, 20);
    }
    assertEquals(20, transactions.stream().mapToInt(Integer::intValue).sum());
    assertTrue(transactions.size() <= 3, "20 records in " + transactions.size() + " transactions: " + transactions);
  }

  @Test
  void should_drop_and_count_what_a_full_queue_cannot_take_and_a_record_that_cannot_be_a_row() throws Exception {
    List<Integer> transactions = new CopyOnWriteArrayList<>();
    // No prices yet (governance starting): the records wait in the queue, which holds 100.
    java.util.concurrent.atomic.AtomicReference<GovernancePolicy> prices = new java.util.concurrent.atomic
        .AtomicReference<>();
    try (RequestLogWriter writer = new RequestLogWriter(rows -> transactions.add(rows.size()), prices::get, 100, 50,
        System::currentTimeMillis, () -> { })) {
      for (int i = 0; i < 150; i++) {
        writer.accept(record("r" + i));
      }
      assertEquals(50, writer.dropped());
      prices.set(POLICY);
      awaitWritten(writer, 100);
      writer.accept(new ExchangeRecord("broken", "node", Operation.MESSAGES, 1, 5, 9, 1, 2, 8, 3, null, null, false,
          null, null, List.of(), 200, null, null, Usage.NONE, null, null)); // no client info: a bug's record
      writer.accept(record("after"));
      awaitWritten(writer, 101);
      assertEquals(51, writer.dropped(), "the broken record, alone");
    }
  }

  @Test
  void should_write_what_is_queued_when_closed_without_waiting_for_the_next_round() {
    List<Integer> transactions = new CopyOnWriteArrayList<>();
    RequestLogWriter writer = new RequestLogWriter(rows -> transactions.add(rows.size()), () -> POLICY, 1000, 60_000,
        System::currentTimeMillis, () -> { });
    for (int i = 0; i < 3; i++) {
      writer.accept(record("r" + i));
    }
    writer.close(); // the writer sleeps a minute between rounds; closing wakes it for a last one
    assertEquals(3, writer.written());
    assertEquals(List.of(3), transactions);
  }

  private static void awaitWritten(RequestLogWriter writer, long count) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (writer.written() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(count, writer.written());
  }
}
