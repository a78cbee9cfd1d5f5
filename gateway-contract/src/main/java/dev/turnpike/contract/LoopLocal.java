package dev.turnpike.contract;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.shareddata.LocalMap;

/**
 * Keeps a request on the event loop that accepted it. Each verticle instance registers a hot-path address twice:
 * as is, and as {@code address@<loop>} for its own event loop; a sender on an event loop uses its loop's variant
 * when an instance registered one there, and the plain address otherwise. A same-loop hand-off costs ~1 us, a
 * cross-loop one ~60 us (NOTES-stack).
 *
 * <p>Which loop each instance gets is Vert.x's round-robin, shared with everything else that creates contexts,
 * so a loop may have no instance of some verticle: the registry of variants (per Vert.x instance) makes that
 * case fall back to the plain address instead of sending into the void.
 */
public final class LoopLocal {
  private static final String LOOP_THREAD_PREFIX = "vert.x-eventloop-thread-";
  private static final String REGISTRY = "turnpike.loop-local-addresses";

  private LoopLocal() {}

  /** Registers {@code handler} (local delivery only) at {@code base} and at its variant for the calling loop. */
  public static <T> Future<Void> consumer(Vertx vertx, String base, Handler<Message<T>> handler) {
    Future<Void> plain = vertx.eventBus().<T>localConsumer(base, handler).completion();
    String variant = variant(base);
    if (variant == null) {
      return plain;
    }
    Future<Void> loop = vertx.eventBus().<T>localConsumer(variant, handler).completion();
    registry(vertx).put(variant, Boolean.TRUE);
    return Future.all(plain, loop).mapEmpty();
  }

  /** The address to send to from the calling thread: its loop's variant when one is registered, else {@code base}. */
  public static String address(Vertx vertx, String base) {
    String variant = variant(base);
    return variant != null && registry(vertx).containsKey(variant) ? variant : base;
  }

  private static String variant(String base) {
    String thread = Thread.currentThread().getName();
    return thread.startsWith(LOOP_THREAD_PREFIX)
        ? base + "@" + thread.substring(LOOP_THREAD_PREFIX.length()) : null;
  }

  private static LocalMap<String, Boolean> registry(Vertx vertx) {
    return vertx.sharedData().getLocalMap(REGISTRY);
  }
}
