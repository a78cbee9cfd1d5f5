package dev.turnpike.edge;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Closes connections that hold a slot without using it: one that does not finish its request head within
 * {@code server.header_timeout_ms} of connecting (a client trickling headers), and a keep-alive connection idle
 * for {@code server.keepalive_timeout_ms} after its last answer. A connection with a request in progress is
 * left alone: the body, upstream and paused-client timeouts bound that time. One per edge instance; every
 * method runs on that instance's event loop, which owns its connections.
 */
final class ConnectionGuard {
  private final Vertx vertx;
  private final long headerTimeoutMs;
  private final long keepAliveTimeoutMs;
  private final Map<HttpConnection, State> connections = new IdentityHashMap<>();

  private static final class State {
    int activeRequests;
    long timer = -1;
  }

  ConnectionGuard(Vertx vertx, long headerTimeoutMs, long keepAliveTimeoutMs) {
    this.vertx = vertx;
    this.headerTimeoutMs = headerTimeoutMs;
    this.keepAliveTimeoutMs = keepAliveTimeoutMs;
  }

  void opened(HttpConnection connection) {
    State state = new State();
    connections.put(connection, state);
    arm(connection, state, headerTimeoutMs);
    connection.closeHandler(v -> {
      State closed = connections.remove(connection);
      if (closed != null) {
        disarm(closed);
      }
    });
  }

  /** A request head arrived; returns what to call when its response has ended. */
  Runnable requestStarted(HttpConnection connection) {
    State state = connections.get(connection);
    if (state == null) {
      return () -> { };
    }
    state.activeRequests++;
    disarm(state);
    boolean[] ended = {false};
    return () -> {
      if (!ended[0]) {
        ended[0] = true;
        if (--state.activeRequests == 0 && connections.get(connection) == state) {
          arm(connection, state, keepAliveTimeoutMs);
        }
      }
    };
  }

  int open() {
    return connections.size();
  }

  private void arm(HttpConnection connection, State state, long delayMs) {
    disarm(state);
    state.timer = vertx.setTimer(Math.max(1, delayMs), id -> {
      state.timer = -1;
      if (state.activeRequests == 0) {
        connection.close();
      }
    });
  }

  private void disarm(State state) {
    if (state.timer >= 0) {
      vertx.cancelTimer(state.timer);
      state.timer = -1;
    }
  }
}
