package dev.turnpike.contract;

/**
 * Flow control from the edge to the provider serving one stream. Cancelling is not a message: it travels as
 * {@link InvokeRequest#cancelled()}, which cannot be lost even when the edge gives up before the provider has
 * registered anything.
 */
public enum StreamControl {
  /** The client's socket is full: stop reading the upstream. */
  PAUSE,
  /** The client drained: read the upstream again. */
  RESUME
}
