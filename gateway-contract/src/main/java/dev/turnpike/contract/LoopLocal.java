package dev.turnpike.contract;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a request on the event loop that accepted it. Each verticle instance registers a hot-path address twice:
 * as is, and as {@code address@<loop>} for its own event loop; a sender on an event loop uses its loop's variant
 * when an instance registered one there, and the plain address otherwise. A same-loop hand-off costs ~1 us, a
 * cross-loop one ~60 us (thread wake-up).
 *
 * <p>Which loop each instance gets is Vert.x's round-robin, shared with everything else that creates contexts,
 * so a loop may have no instance of some verticle: the registry of variants makes that case fall back to the
 * plain address instead of sending into the void. The node owns one registry and hands it to every verticle, so
 * a redeploy starts from the node's state, never from a leftover of an earlier deployment.
 *
 * <p>Consumers registered here never let an exception escape: a handler that throws fails the message's reply
 * promise ({@link Replying}), so the sender's request ends instead of waiting forever.
 */
public final class LoopLocal {
  private static final System.Logger LOG = System.getLogger(LoopLocal.class.getName());
  private static final String LOOP_THREAD_PREFIX = "vert.x-eventloop-thread-";

  private final Set<String> variants = ConcurrentHashMap.newKeySet();

  /** Registers {@code handler} (local delivery only) at {@code base} and at its variant for the calling loop. */
  public <T> Future<Void> consumer(Vertx vertx, String base, Handler<Message<T>> handler) {
    Handler<Message<T>> guarded = message -> {
      try {
        handler.handle(message);
      } catch (RuntimeException | Error e) {
        onHandlerFailure(base, message.body(), e);
      }
    };
    Future<Void> plain = vertx.eventBus().<T>localConsumer(base, guarded).completion();
    String variant = variant(base);
    if (variant == null) {
      return plain;
    }
    Future<Void> loop = vertx.eventBus().<T>localConsumer(variant, guarded).completion();
    variants.add(variant);
    return Future.all(plain, loop).mapEmpty();
  }

  /** The address to send to from the calling thread: its loop's variant when one is registered, else {@code base}. */
  public String address(String base) {
    String variant = variant(base);
    return variant != null && variants.contains(variant) ? variant : base;
  }

  private static void onHandlerFailure(String address, Object body, Throwable error) {
    String requestId = body instanceof Replying<?> replying ? replying.requestId() : "-";
    LOG.log(System.Logger.Level.ERROR, "consumer of " + address + " failed for request " + requestId, error);
    if (body instanceof Replying<?> replying) {
      replying.reply().tryFail(Failure.internal(requestId).asException());
    }
  }

  private static String variant(String base) {
    String thread = Thread.currentThread().getName();
    return thread.startsWith(LOOP_THREAD_PREFIX)
        ? base + "@" + thread.substring(LOOP_THREAD_PREFIX.length()) : null;
  }
}
