package dev.turnpike.governance.limits;

/**
 * A reservation the limit cannot hold, or (with {@code unreachable}) one nobody could check, or (with
 * {@code heldInFlight}) one that only other requests' reservations kept out for the whole wait.
 */
public final class LimitExceeded extends RuntimeException {
  private final transient Need need;
  private final long spent;
  private final boolean unreachable;
  private final boolean heldInFlight;

  LimitExceeded(Need need, long spent, boolean unreachable) {
    this(need, spent, unreachable, false);
  }

  LimitExceeded(Need need, long spent, boolean unreachable, boolean heldInFlight) {
    super(need.spec().id(), null, false, false);
    this.need = need;
    this.spent = spent;
    this.unreachable = unreachable;
    this.heldInFlight = heldInFlight;
  }

  /** True when what was spent left room, but requests in flight held the rest for the whole wait. */
  public boolean heldInFlight() {
    return heldInFlight;
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
