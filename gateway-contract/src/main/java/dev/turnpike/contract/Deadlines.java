package dev.turnpike.contract;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** A deadline on a promise a message carries: a request always ends, even when a consumer never answers. */
public final class Deadlines {
  private Deadlines() {}

  /** {@code promise}'s future, failed with {@code onTimeout} if nobody completes it within {@code millis}. */
  public static <T> Future<T> within(Vertx vertx, Promise<T> promise, long millis, Supplier<Failure> onTimeout) {
    long timer = vertx.setTimer(Math.max(1, millis), id -> promise.tryFail(onTimeout.get().asException()));
    return promise.future().onComplete(done -> vertx.cancelTimer(timer));
  }
}
