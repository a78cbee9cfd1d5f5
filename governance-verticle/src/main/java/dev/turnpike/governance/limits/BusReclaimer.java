package dev.turnpike.governance.limits;

import dev.turnpike.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the nodes holding leases of a counter, over the clustered event bus, to give back what they are not using.
 * Only a refusal takes this path; a node that does not answer in time is skipped (its lease expires anyway).
 */
public final class BusReclaimer implements Allowances.Reclaimer {
  private static final DeliveryOptions WITHIN = new DeliveryOptions().setSendTimeout(1_000);
  private final Vertx vertx;

  public BusReclaimer(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Void> reclaim(List<String> nodes, String key) {
    List<Future<Object>> answers = new ArrayList<>(nodes.size());
    for (String node : nodes) {
      answers.add(vertx.eventBus().request(Addresses.governanceReclaim(node), key, WITHIN).map(m -> null));
    }
    return Future.join(answers).otherwiseEmpty().mapEmpty();
  }
}
