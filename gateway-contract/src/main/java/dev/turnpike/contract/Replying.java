package dev.turnpike.contract;

import io.vertx.core.Promise;

/**
 * A hot-path message that carries the promise its consumer completes (see {@link LocalReply}). Knowing the
 * promise lets {@link LoopLocal} fail it when the consumer throws, so no request waits on a reply that will never
 * come.
 */
public interface Replying<T> {
  String requestId();

  Promise<T> reply();
}
