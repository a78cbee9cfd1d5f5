package dev.turnpike.contract;

/**
 * Where this node is in its life, owned by the node and read by the edge: {@code /health/ready} answers 200 only
 * when {@link State#READY}, and new requests are refused unless {@link #accepting()}.
 */
public final class NodeLifecycle {
  public enum State { STARTING, READY, DRAINING, STOPPED }

  private volatile State state = State.STARTING;

  public State state() {
    return state;
  }

  public boolean ready() {
    return state == State.READY;
  }

  /** True while new requests are taken; a draining node refuses them so the load balancer sends them elsewhere. */
  public boolean accepting() {
    return state == State.READY;
  }

  public void ready(boolean ready) {
    if (ready && state == State.STARTING) {
      state = State.READY;
    }
  }

  public void draining() {
    if (state != State.STOPPED) {
      state = State.DRAINING;
    }
  }

  public void stopped() {
    state = State.STOPPED;
  }
}
