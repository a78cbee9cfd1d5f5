package dev.turnpike.governance;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Adds a delta to one usage entry.
 *
 * @implNote Atomic without locks: Hazelcast runs every entry processor of a key on that key's partition thread,
 *     one at a time, on the member that owns the key (and applies the result to its backup).
 */
public final class AddUsageProcessor implements EntryProcessor<String, UsageTotals, Void> {
  private static final long serialVersionUID = 1L;
  private final UsageTotals delta;

  public AddUsageProcessor(UsageTotals delta) {
    this.delta = delta;
  }

  @Override
  public Void process(Map.Entry<String, UsageTotals> entry) {
    UsageTotals current = entry.getValue();
    entry.setValue(current == null ? delta : current.plus(delta));
    return null;
  }
}
