package dev.turnpike.contract;

/**
 * Every event-bus address Turnpike uses. {@code docs/EVENTBUS.md} lists them with their message types.
 *
 * <p>Hot-path addresses are sent with local delivery. Each verticle instance also registers the
 * per-event-loop variant ({@link #onThisLoop(String)}) so a request stays on the event loop that accepted it:
 * a cross-loop hand-off costs ~60 us, a same-loop one ~1 us (NOTES-stack).
 */
public final class Addresses {
  public static final String GOVERNANCE_ADMIT = "turnpike.governance.admit";
  public static final String GOVERNANCE_SETTLE = "turnpike.governance.settle";
  /** Cluster-wide usage totals for the admin API; any node answers from the shared maps. */
  public static final String GOVERNANCE_USAGE = "turnpike.governance.usage";
  public static final String ROUTER_ROUTE = "turnpike.router.route";
  /** Published cluster-wide; payload is the new config as JSON. */
  public static final String CONFIG_CHANGED = "turnpike.config.changed";
  /** Published cluster-wide; payload is the revoked virtual key id. */
  public static final String KEYS_REVOKED = "turnpike.keys.revoked";

  private static final String LOOP_THREAD_PREFIX = "vert.x-eventloop-thread-";

  private Addresses() {}

  public static String providerInvoke(String dialect) {
    return "turnpike.provider." + dialect + ".invoke";
  }

  /** Where a provider sends the {@link StreamFrame}s of one request; the edge consumes it. */
  public static String stream(String requestId) {
    return "turnpike.stream." + requestId;
  }

  /** Where the edge sends {@link StreamControl} (pause, resume, cancel) for one request; the provider consumes it. */
  public static String streamControl(String requestId) {
    return "turnpike.stream." + requestId + ".ctl";
  }

  /**
   * The variant of {@code base} served by the verticle instance on the calling thread's event loop, or
   * {@code base} itself when not called from an event loop.
   */
  public static String onThisLoop(String base) {
    String thread = Thread.currentThread().getName();
    if (!thread.startsWith(LOOP_THREAD_PREFIX)) {
      return base;
    }
    return base + "@" + thread.substring(LOOP_THREAD_PREFIX.length());
  }
}
