package dev.turnpike.governance.limits;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One limit's window as the cluster shares it: what was spent, and what each node holds leased (reserved for its
 * requests in flight, or a slice it may spend without asking). Values only; {@link AcquireProcessor} and
 * {@link CommitProcessor} replace it atomically on the key's partition thread. A lease the node stopped renewing
 * (it died, or lost the cluster) expires, and its amount is free again.
 *
 * @param spent what settled requests really cost, in the limit's unit (nano-USD, requests or tokens)
 */
public record SharedCounter(long spent, Map<String, Lease> leases) implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final SharedCounter EMPTY = new SharedCounter(0, Map.of());

  public SharedCounter {
    leases = Map.copyOf(leases);
  }

  public record Lease(long amount, long expiresAtMs) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * What a node asked for: {@code granted} 0 is a refusal, with what the cluster had and who holds leases (they
   * may hold idle slices they can give back).
   */
  public record Grant(long granted, long spent, long leased, List<String> otherHolders) implements Serializable {
    private static final long serialVersionUID = 1L;

    public boolean refused() {
      return granted == 0;
    }
  }

  public long leased() {
    long sum = 0;
    for (Lease lease : leases.values()) {
      sum += lease.amount();
    }
    return sum;
  }

  /** Without the leases that expired by {@code nowMs}. */
  SharedCounter expire(long nowMs) {
    boolean any = false;
    for (Lease lease : leases.values()) {
      any |= lease.expiresAtMs() <= nowMs;
    }
    if (!any) {
      return this;
    }
    Map<String, Lease> live = new HashMap<>();
    leases.forEach((node, lease) -> {
      if (lease.expiresAtMs() > nowMs) {
        live.put(node, lease);
      }
    });
    return new SharedCounter(spent, live);
  }

  /**
   * Grants {@code node} {@code need} (refusing if the limit cannot hold it) plus up to {@code extra} as a slice:
   * never more than a share of what is left, so the slices shrink as the limit nears and the last of it goes to
   * whoever needs it, in exact amounts.
   */
  Result acquire(String node, long limit, long need, long extra, long ttlMs, long nowMs) {
    SharedCounter live = expire(nowMs);
    long free = limit - live.spent - live.leased();
    List<String> others = live.leases.keySet().stream().filter(n -> !n.equals(node)).sorted().toList();
    if (need > free) {
      return new Result(live, new Grant(0, live.spent, live.leased(), others));
    }
    long share = (free - need) / (2L * (others.size() + 1));
    long granted = need + Math.max(0, Math.min(extra, share));
    Map<String, Lease> leases = new HashMap<>(live.leases);
    Lease mine = leases.get(node);
    leases.put(node, new Lease((mine == null ? 0 : mine.amount()) + granted, nowMs + ttlMs));
    SharedCounter next = new SharedCounter(live.spent, leases);
    return new Result(next, new Grant(granted, next.spent, next.leased(), others));
  }

  /**
   * Adds what {@code node}'s requests cost and takes it, with what the node gives back, out of its lease; renews
   * the lease. A cost above the lease (the input estimate was low, or the lease had expired) is still counted.
   */
  SharedCounter commit(String node, long spentDelta, long returned, long ttlMs, long nowMs) {
    SharedCounter live = expire(nowMs);
    Map<String, Lease> leases = new HashMap<>(live.leases);
    Lease mine = leases.get(node);
    if (mine != null) {
      long left = mine.amount() - spentDelta - returned;
      if (left > 0) {
        leases.put(node, new Lease(left, nowMs + ttlMs));
      } else {
        leases.remove(node);
      }
    }
    return new SharedCounter(live.spent + spentDelta, leases);
  }

  record Result(SharedCounter next, Grant grant) {}
}
