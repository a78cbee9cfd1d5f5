package dev.turnpike.governance.limits;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** {@link SharedCounter#commit} on the key's owner; answers the counter after it. */
public final class CommitProcessor implements EntryProcessor<String, SharedCounter, SharedCounter> {
  private static final long serialVersionUID = 1L;
  private final String node;
  private final long spent;
  private final long returned;
  private final long ttlMs;
  private final long keepUntilMs;

  public CommitProcessor(String node, long spent, long returned, long ttlMs, long keepUntilMs) {
    this.node = node;
    this.spent = spent;
    this.returned = returned;
    this.ttlMs = ttlMs;
    this.keepUntilMs = keepUntilMs;
  }

  long keepUntilMs() {
    return keepUntilMs;
  }

  @Override
  public SharedCounter process(Map.Entry<String, SharedCounter> entry) {
    long now = System.currentTimeMillis();
    SharedCounter current = entry.getValue() == null ? SharedCounter.EMPTY : entry.getValue();
    SharedCounter next = current.commit(node, spent, returned, ttlMs, now);
    CounterEntries.set(entry, next, keepUntilMs, now);
    return next;
  }
}
