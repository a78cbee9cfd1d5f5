package dev.turnpike.edge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes this node holds at once ({@code server.max_body_bytes_in_flight}), node-wide. A body is
 * reserved before it is read (its declared length, or chunk by chunk) and released when its request ends, so
 * however many clients send large bodies at once, bodies never take more than this share of the heap.
 */
public final class BodyBudget {
  private final long max;
  private final AtomicLong used = new AtomicLong();

  public BodyBudget(long max) {
    this.max = max;
  }

  /** Reserves {@code bytes}; false (and nothing reserved) when they do not fit. */
  boolean tryReserve(long bytes) {
    while (true) {
      long current = used.get();
      if (current + bytes > max) {
        return false;
      }
      if (used.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  public long used() {
    return used.get();
  }

  public long max() {
    return max;
  }
}
