package dev.turnpike.edge;

import dev.turnpike.contract.config.GatewayConfig;
import io.vertx.core.Vertx;

/** What every request of one edge instance works with: its Vert.x, the node's services, the config. */
record EdgeRuntime(Vertx vertx, EdgeServices services, GatewayConfig config) {}
