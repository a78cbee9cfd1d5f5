package dev.turnpike.contract;

/** Flow control from the edge to the provider serving one stream. */
public enum StreamControl {
  /** The client's socket is full: stop reading the upstream. */
  PAUSE,
  /** The client drained: read the upstream again. */
  RESUME,
  /** The client went away or the edge gave up: abort the upstream call. */
  CANCEL
}
