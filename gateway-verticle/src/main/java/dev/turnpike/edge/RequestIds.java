package dev.turnpike.edge;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Request ids unique across the cluster: a random node prefix and a counter, cheaper than a UUID per request. */
final class RequestIds {
  private static final String NODE_PREFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  private static final AtomicLong COUNTER = new AtomicLong();

  private RequestIds() {}

  static String next() {
    return "tp-" + NODE_PREFIX + "-" + Long.toHexString(COUNTER.incrementAndGet());
  }
}
