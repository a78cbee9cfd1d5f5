package dev.turnpike.contract;

import java.util.List;

/**
 * Where to send a request: the targets in the order to try them (the first is the primary, the rest are
 * fallbacks), the rule that chose them ({@code null} when no rule matched), and what session affinity did
 * ({@code null}: no session; {@code new}, {@code bound} or {@code moved}, when the bound target's breaker opened).
 */
public record RouteDecision(List<Target> targets, String matchedRule, String affinity) {
  public RouteDecision {
    targets = List.copyOf(targets);
  }

  public RouteDecision(List<Target> targets, String matchedRule) {
    this(targets, matchedRule, null);
  }

  /** The same decision with {@code first} tried first, as session affinity asks. */
  public RouteDecision withFirst(Target first, String how) {
    List<Target> ordered = new java.util.ArrayList<>(targets.size() + 1);
    ordered.add(first);
    targets.stream().filter(t -> !t.equals(first)).forEach(ordered::add);
    return new RouteDecision(ordered, matchedRule, how);
  }
}
