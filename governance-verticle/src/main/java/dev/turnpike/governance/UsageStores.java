package dev.turnpike.governance;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** The usage store a node uses: the cluster's Hazelcast map when it runs clustered, memory otherwise. */
public final class UsageStores {
  private UsageStores() {}

  public static UsageStore forNode(Vertx vertx) {
    if (vertx instanceof VertxInternal internal
        && internal.clusterManager() instanceof HazelcastClusterManager hazelcast) {
      return new HazelcastUsageStore(hazelcast.getHazelcastInstance(), vertx.getOrCreateContext());
    }
    return new InMemoryUsageStore();
  }
}
