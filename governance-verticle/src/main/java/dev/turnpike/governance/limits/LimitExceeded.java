package dev.turnpike.governance.limits;

/** A reservation the limit cannot hold, or (with {@code unreachable}) one nobody could check. */
public final class LimitExceeded extends RuntimeException {
  private final transient Need need;
  private final long spent;
  private final boolean unreachable;

  LimitExceeded(Need need, long spent, boolean unreachable) {
    super(need.spec().id(), null, false, false);
    this.need = need;
    this.spent = spent;
    this.unreachable = unreachable;
  }

  public Need need() {
    return need;
  }

  /** What the cluster had counted as spent when it refused. */
  public long spent() {
    return spent;
  }

  /** True when the shared counters could not be reached (the node is cut off) rather than the limit reached. */
  public boolean unreachable() {
    return unreachable;
  }
}
