package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model requests this node carries, node-wide: caps how many run at once ({@code server.max_in_flight}; past
 * the cap a request is refused at once with 529, which Claude Code retries with back-off, instead of queueing
 * bodies until the heap runs out) and lets a draining node wait for them and end the stragglers. The node owns
 * one and hands it to every edge instance.
 */
public final class InFlightRequests {
  /** A request that can be ended from outside, on its own context. */
  interface Abortable {
    void abort(Failure failure);
  }

  private record Entry(Abortable request, Context context) {}

  private final int max;
  private final Set<Entry> active = ConcurrentHashMap.newKeySet();

  public InFlightRequests(int max) {
    this.max = max;
  }

  /** Takes a slot for {@code request}; null when the node is at its cap. Call {@link Slot#release()} once. */
  Slot tryEnter(Abortable request, Context context) {
    Entry entry = new Entry(request, context);
    synchronized (active) {
      if (active.size() >= max) {
        return null;
      }
      active.add(entry);
    }
    return () -> active.remove(entry);
  }

  /** A taken slot; releasing twice is harmless. */
  interface Slot {
    void release();
  }

  public int count() {
    return active.size();
  }

  public int max() {
    return max;
  }

  /** Completes once no request is in flight, or after {@code timeoutMs}, whichever comes first. */
  public Future<Void> whenIdle(Vertx vertx, long timeoutMs) {
    Promise<Void> idle = Promise.promise();
    checkIdle(vertx, System.nanoTime() + timeoutMs * 1_000_000, idle);
    return idle.future();
  }

  private void checkIdle(Vertx vertx, long deadlineNanos, Promise<Void> idle) {
    if (active.isEmpty() || System.nanoTime() >= deadlineNanos) {
      idle.tryComplete();
    } else {
      vertx.setTimer(50, id -> checkIdle(vertx, deadlineNanos, idle));
    }
  }

  /** Ends every request still in flight with {@code failure}, each on its own context. */
  public void abortAll(Failure failure) {
    for (Entry entry : List.copyOf(active)) {
      entry.context().runOnContext(v -> entry.request().abort(failure));
    }
  }
}
