package dev.turnpike.contract;

import java.util.List;

/**
 * Where to send a request: the targets in the order to try them (the first is the primary, the rest are
 * fallbacks), and the rule that chose them ({@code null} when no rule matched).
 */
public record RouteDecision(List<Target> targets, String matchedRule) {
  public RouteDecision {
    targets = List.copyOf(targets);
  }
}
