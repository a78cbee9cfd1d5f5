package dev.turnpike.contract;

/**
 * Every event-bus address Turnpike uses. {@code docs/EVENTBUS.md} lists them with their message types.
 *
 * <p>Hot-path addresses are sent with local delivery and registered through {@link LoopLocal}, so a request
 * stays on the event loop that accepted it.
 */
public final class Addresses {
  public static final String GOVERNANCE_ADMIT = "turnpike.governance.admit";
  public static final String GOVERNANCE_SETTLE = "turnpike.governance.settle";
  /** Before each attempt: a {@link ReserveRequest} (local). */
  public static final String GOVERNANCE_RESERVE = "turnpike.governance.reserve";
  /** After each attempt: an {@link AttemptSettlement} (local). */
  public static final String GOVERNANCE_ATTEMPT_ENDED = "turnpike.governance.attempt-ended";
  /** How much of a caller's limits is used, for routing rules that read it ({@link LimitsRequest}). */
  public static final String GOVERNANCE_LIMITS = "turnpike.governance.limits";
  /** Cluster-wide usage totals for the admin API; any node answers from the shared maps. */
  public static final String GOVERNANCE_USAGE = "turnpike.governance.usage";
  /**
   * The admin API's customers, teams and virtual keys ({@code {op, kind, id, body}}); local to the node, which
   * stores a change for every node in the cluster's identity map. A key's value never travels: only its hash.
   */
  public static final String GOVERNANCE_IDENTITIES = "turnpike.governance.identities";
  public static final String ROUTER_ROUTE = "turnpike.router.route";
  /** The admin API's rule set: {@code {"op":"get"}} or {@code {"op":"put","routing_rules":[...]}} (JSON, local). */
  public static final String ROUTER_RULES = "turnpike.router.rules";
  /** The admin API's explain: a sample request and its admission (JSON, local). */
  public static final String ROUTER_EXPLAIN = "turnpike.router.explain";
  /**
   * Published on this node (local only) with every completed {@link ExchangeRecord}, after settlement was sent:
   * where the request log, metrics and breakers subscribe.
   */
  public static final String EXCHANGE_COMPLETED = "turnpike.exchange.completed";
  /**
   * The request-log API (JSON {@code {"op": "list"|"get"|"stats"|"since", "params": {...}, "id": ...}}, local);
   * the node answers for the cluster, asking the others on {@code turnpike.logs.node.<member>} where each keeps
   * its own records.
   */
  public static final String LOGS_QUERY = "turnpike.logs.query";

  private Addresses() {}

  /**
   * Where another node asks this one to give back its idle slice of a counter (clustered; the body is the counter
   * key as a string, the reply empty).
   */
  public static String governanceReclaim(String nodeId) {
    return "turnpike.governance.reclaim." + nodeId;
  }

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
}
