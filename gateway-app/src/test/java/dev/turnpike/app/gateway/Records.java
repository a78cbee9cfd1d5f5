package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.fail;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.ExchangeRecord;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** The {@link ExchangeRecord}s a node completes, as the request log and metrics will see them. */
final class Records {
  private final List<ExchangeRecord> records = new CopyOnWriteArrayList<>();

  private Records() {}

  static Records of(Vertx nodeVertx) {
    Records collected = new Records();
    nodeVertx.eventBus().<ExchangeRecord>localConsumer(Addresses.EXCHANGE_COMPLETED,
        message -> collected.records.add(message.body())).completion().await();
    return collected;
  }

  void clear() {
    records.clear();
  }

  List<ExchangeRecord> all() {
    return List.copyOf(records);
  }

  /** The record of the request the client knows by {@code x-turnpike-request-id}. */
  ExchangeRecord of(String requestId) throws InterruptedException {
    return await(r -> r.requestId().equals(requestId), "request " + requestId);
  }

  ExchangeRecord await(Predicate<ExchangeRecord> match, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (ExchangeRecord record : records) {
        if (match.test(record)) {
          return record;
        }
      }
      Thread.sleep(10);
    }
    fail("no record of " + what + " among " + records);
    return null;
  }
}
