package dev.turnpike.router.affinity;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sets a session binding to {@code to} when it is absent or still {@code from} ({@code from} null: only when
 * absent, which is put-if-absent); returns the binding that holds.
 *
 * @implNote Atomic without locks: Hazelcast runs every entry processor of a key on that key's partition thread.
 */
public final class MoveBinding implements EntryProcessor<String, String, String> {
  private static final long serialVersionUID = 1L;
  private final String from;
  private final String to;
  private final long ttlMs;

  public MoveBinding(String from, String to, long ttlMs) {
    this.from = from;
    this.to = to;
    this.ttlMs = ttlMs;
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    String current = entry.getValue();
    if (current == null || (from != null && current.equals(from))) {
      if (entry instanceof ExtendedMapEntry<String, String> extended) {
        extended.setValue(to, ttlMs, TimeUnit.MILLISECONDS);
      } else {
        entry.setValue(to);
      }
      return to;
    }
    return current;
  }
}
