package dev.turnpike.edge;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/** Readiness of this node, set by the launcher once it joined its cluster and deployed every verticle. */
public final class NodeState {
  private static final String MAP = "turnpike.node";
  private static final String READY = "ready";

  private NodeState() {}

  public static void markReady(Vertx vertx, boolean ready) {
    vertx.sharedData().<String, Boolean>getLocalMap(MAP).put(READY, ready);
  }

  static boolean ready(Vertx vertx) {
    LocalMap<String, Boolean> map = vertx.sharedData().getLocalMap(MAP);
    return Boolean.TRUE.equals(map.get(READY));
  }
}
