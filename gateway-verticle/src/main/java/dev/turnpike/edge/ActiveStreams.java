package dev.turnpike.edge;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many event-stream answers this node is relaying to clients right now: from the answer's head until the
 * request ends, however it ends. The node owns one; metrics read it.
 */
public final class ActiveStreams {
  private final AtomicInteger open = new AtomicInteger();

  void opened() {
    open.incrementAndGet();
  }

  void closed() {
    open.decrementAndGet();
  }

  public int count() {
    return open.get();
  }
}
