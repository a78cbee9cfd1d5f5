package dev.turnpike.edge;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.NodeLifecycle;
import java.util.function.Consumer;

/**
 * What the node owns and every edge instance shares: created once per node, so a redeploy of the edge (a
 * config reload) meets the node's state, never a leftover of an earlier deployment.
 *
 * @param nodeId this node's name in request records and logs
 * @param recordReaders what reads every completed record on the spot (circuit breakers, the request log); called on
 *     the request's event loop, so it must be quick and thread-safe
 * @param logStreams live request-log streams open on this node, whichever edge instance serves them
 */
public record EdgeServices(String nodeId, NodeLifecycle lifecycle, LoopLocal loopLocal, InFlightRequests inFlight,
                           BodyBudget bodyBudget, Consumer<ExchangeRecord> recordReaders,
                           java.util.concurrent.atomic.AtomicInteger logStreams) {
  public EdgeServices(String nodeId, NodeLifecycle lifecycle, LoopLocal loopLocal, InFlightRequests inFlight,
                      BodyBudget bodyBudget, Consumer<ExchangeRecord> recordReaders) {
    this(nodeId, lifecycle, loopLocal, inFlight, bodyBudget, recordReaders,
        new java.util.concurrent.atomic.AtomicInteger());
  }
}
