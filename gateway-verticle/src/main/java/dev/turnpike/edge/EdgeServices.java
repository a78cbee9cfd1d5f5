package dev.turnpike.edge;

import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.NodeLifecycle;

/**
 * What the node owns and every edge instance shares: created once per node, so a redeploy of the edge (a
 * config reload) meets the node's state, never a leftover of an earlier deployment.
 *
 * @param nodeId this node's name in request records and logs
 */
public record EdgeServices(String nodeId, NodeLifecycle lifecycle, LoopLocal loopLocal, InFlightRequests inFlight,
                           BodyBudget bodyBudget) {}
