package dev.turnpike.bench;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The overshoot measurement: {@code requests} requests fired at once under a fresh spend cap, then what the system
 * recorded once it settled. A gateway that only checks what is already spent before a request, and records the
 * cost after the answer, admits the whole burst, since none has ended when the last one is checked.
 */
final class BurstUnderCap {
  /** Statuses a gateway refuses a request for its spend cap with: Turnpike 402, Anthropic's gateway 429. */
  private static final List<String> REFUSALS = List.of("HTTP 402", "HTTP 429");
  private static final Duration SETTLE_LIMIT = Duration.ofSeconds(20);
  /** Turnpike commits spend every 200 ms and takes back unused slices after 1 s: unchanged this long is settled. */
  private static final Duration STABLE = Duration.ofMillis(1500);

  private BurstUnderCap() {}

  static Results.Overshoot measure(LoadGen load, SpendCap cap, List<List<Buffer>> bodies, int requests,
                                   double costUsd) {
    try {
      SpendCap.Reading before = cap.meter().read();
      // all of them leave within a millisecond, so every one is checked before the first answer ends (the fake
      // alone takes 20 ms to its first byte and ~84 ms to the last)
      LoadGen.Step step = load.run(cap.endpoints(), bodies, requests * 1000, Duration.ofMillis(1),
          Duration.ofSeconds(60));
      long ended = System.nanoTime();
      SpendCap.Reading after = settle(cap.meter());
      double settleSeconds = Math.round((System.nanoTime() - ended) / 1e7) / 100.0;
      Map<String, Integer> outcomes = step.errorKinds();
      long refused = REFUSALS.stream().mapToLong(k -> outcomes.getOrDefault(k, 0)).sum();
      long failed = step.errors() + step.timeouts() - refused;
      // one more once everything has settled: refused if the cap holds what was recorded, admitted if what the
      // burst was refused for (reservations of requests in flight) has been given back
      LoadGen.Step next = load.run(cap.endpoints(), bodies, 1000, Duration.ofMillis(1), Duration.ofSeconds(30));
      String afterwards = next.ok() == 1 ? "admitted" : "refused: " + String.join(", ", next.errorKinds().keySet());
      double spent = after.spentUsd() - before.spentUsd();
      Double slowest = step.ttlb.getTotalCount() == 0 ? null
          : Math.round(step.ttlb.getMaxValue() / 10.0) / 100.0;
      return new Results.Overshoot(cap.capUsd(), (int) step.sent(), step.ok(), refused, failed, outcomes,
          round6(spent), Math.round(spent / cap.capUsd() * 100) / 100.0, round6(costUsd),
          round6(step.ok() * costUsd), round6(after.reservedUsd()), slowest, settleSeconds, afterwards, cap.note(),
          null);
    } catch (Exception e) {
      return Results.Overshoot.failed(cap.capUsd(), requests, round6(costUsd), cap.note(),
          e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** Reads until nothing is held for requests in flight and the spent figure stops moving (or the limit passes). */
  private static SpendCap.Reading settle(SpendCap.Meter meter) throws Exception {
    long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
    SpendCap.Reading last = meter.read();
    long stableSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(250);
      SpendCap.Reading now = meter.read();
      if (Math.abs(now.spentUsd() - last.spentUsd()) > 1e-9 || now.reservedUsd() > 1e-9) {
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince >= STABLE.toNanos()) {
        return now;
      }
      last = now;
    }
    return last;
  }

  private static double round6(double usd) {
    return Math.round(usd * 1e6) / 1e6;
  }
}
