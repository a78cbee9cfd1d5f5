package dev.turnpike.governance.limits;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/** {@link SharedCounter#acquire} on the key's owner; the entry lives until a day after its window ends. */
public final class AcquireProcessor implements EntryProcessor<String, SharedCounter, SharedCounter.Grant> {
  private static final long serialVersionUID = 1L;
  private final String node;
  private final long limit;
  private final long need;
  private final long extra;
  private final long ttlMs;
  private final long keepUntilMs;

  public AcquireProcessor(String node, long limit, long need, long extra, long ttlMs, long keepUntilMs) {
    this.node = node;
    this.limit = limit;
    this.need = need;
    this.extra = extra;
    this.ttlMs = ttlMs;
    this.keepUntilMs = keepUntilMs;
  }

  long keepUntilMs() {
    return keepUntilMs;
  }

  @Override
  public SharedCounter.Grant process(Map.Entry<String, SharedCounter> entry) {
    long now = System.currentTimeMillis();
    SharedCounter current = entry.getValue() == null ? SharedCounter.EMPTY : entry.getValue();
    SharedCounter.Result result = current.acquire(node, limit, need, extra, ttlMs, now);
    if (result.next() != current) {
      CounterEntries.set(entry, result.next(), keepUntilMs, now);
    }
    return result.grant();
  }
}
