package dev.turnpike.governance.logs;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.governance.GovernancePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Takes every completed record on the request's event loop (one bounded-queue offer, nothing else) and writes them
 * in batches from its own thread, a round every {@code batch_ms}. A full queue drops the record and counts it: a
 * slow store never slows a request. A batch that fails to write is retried once on the next round, then dropped and
 * counted.
 */
public final class RequestLogWriter implements Consumer<ExchangeRecord>, AutoCloseable {
  /** Where the rows go ({@link RequestLogTable#insert}): one call, one transaction. */
  public interface Rows {
    void insert(java.util.Collection<RequestLogEntry> rows) throws java.sql.SQLException;
  }

  private static final System.Logger LOG = System.getLogger(RequestLogWriter.class.getName());
  private static final int MAX_BATCH = 500;
  private final BlockingQueue<ExchangeRecord> queue;
  private final Rows table;
  private final Supplier<GovernancePolicy> policy;
  private final long batchMs;
  private final LongSupplier clock;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private final Runnable afterBatch;
  private volatile boolean closing;

  /**
   * @param policy the prices for each record's cost; null while governance is starting
   * @param afterBatch runs on the writer's thread after each round (retention purges there, off every loop)
   */
  public RequestLogWriter(Rows table, Supplier<GovernancePolicy> policy, int queueMax, long batchMs,
                          LongSupplier clock, Runnable afterBatch) {
    this.queue = new ArrayBlockingQueue<>(queueMax);
    this.table = table;
    this.policy = policy;
    this.batchMs = batchMs;
    this.clock = clock;
    this.afterBatch = afterBatch;
    this.thread = new Thread(this::run, "turnpike-request-log");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  @Override
  public void accept(ExchangeRecord record) {
    if (!queue.offer(record)) {
      dropped.incrementAndGet();
    }
  }

  public long written() {
    return written.get();
  }

  public long dropped() {
    return dropped.get();
  }

  /**
   * One round every {@code batchMs}: the thread sleeps on its own clock and drains what the loops queued meanwhile,
   * so a loop's offer never has a thread to wake (waiting on the queue instead would cost a wake-up and a context
   * switch for every request). A backlog is written in batches of {@link #MAX_BATCH} within the round.
   */
  private void run() {
    List<RequestLogEntry> pending = new ArrayList<>();
    long roundNanos = TimeUnit.MILLISECONDS.toNanos(batchMs);
    boolean retried = false;
    while (!Thread.currentThread().isInterrupted()) {
      if (!closing) {
        LockSupport.parkNanos(this, roundNanos);
      }
      boolean last = closing; // read before the round: whatever was queued before close() is in it
      GovernancePolicy prices = policy.get();
      if (prices == null) { // governance still starting: the records wait in the queue for their prices
        if (last) {
          break;
        }
        continue;
      }
      try {
        do {
          if (pending.isEmpty()) {
            rows(prices, pending);
          }
          if (!pending.isEmpty()) {
            table.insert(pending);
            written.addAndGet(pending.size());
            pending.clear();
            retried = false;
          }
        } while (!queue.isEmpty());
        afterBatch.run();
      } catch (Exception e) {
        if (retried || last) {
          dropped.addAndGet(pending.size());
          LOG.log(System.Logger.Level.WARNING, "request log: dropped {0} records the store would not take: {1}",
              pending.size(), e.getMessage());
          pending.clear();
          retried = false;
        } else {
          retried = true;
          LOG.log(System.Logger.Level.INFO, "request log: write failed, retrying: {0}", e.getMessage());
        }
      }
      if (last && queue.isEmpty() && pending.isEmpty()) {
        break;
      }
    }
  }

  /** Up to a batch of queued records as rows; a record that cannot be one (a bug) is dropped alone. */
  private void rows(GovernancePolicy prices, List<RequestLogEntry> into) {
    List<ExchangeRecord> batch = new ArrayList<>(Math.min(MAX_BATCH, queue.size()));
    queue.drainTo(batch, MAX_BATCH);
    long now = clock.getAsLong();
    for (ExchangeRecord record : batch) {
      try {
        into.add(RequestLogEntry.of(record, prices, now));
      } catch (RuntimeException e) {
        dropped.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "request log: cannot make a row of {0}: {1}", record.requestId(),
            e.toString());
      }
    }
  }

  /** Writes what is queued (waiting at most 5 s for it), then stops. */
  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
