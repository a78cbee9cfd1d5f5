package dev.turnpike.governance.limits;

import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Writes a counter with a time to live, so windows that ended leave the map on their own. */
final class CounterEntries {
  private CounterEntries() {}

  static void set(Map.Entry<String, SharedCounter> entry, SharedCounter value, long keepUntilMs, long nowMs) {
    if (entry instanceof ExtendedMapEntry<String, SharedCounter> extended) {
      extended.setValue(value, Math.max(1, keepUntilMs - nowMs), TimeUnit.MILLISECONDS);
    } else {
      entry.setValue(value);
    }
  }
}
