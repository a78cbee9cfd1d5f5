package dev.turnpike.contract;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** Registers the pass-by-reference codec of every hot-path message type; every node calls this once. */
public final class Codecs {
  /** Delivery options for the hot path: never leave the node. */
  public static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private static final List<Class<?>> LOCAL_TYPES = List.of(
      AdmitRequest.class,
      RouteRequest.class,
      LimitsRequest.class,
      ReserveRequest.class,
      AttemptSettlement.class,
      InvokeRequest.class,
      StreamFrame.Head.class, StreamFrame.Data.class, StreamFrame.End.class, StreamFrame.Failed.class,
      StreamControl.class,
      ExchangeRecord.class);

  private Codecs() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static synchronized void registerAll(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    for (Class type : LOCAL_TYPES) {
      try {
        bus.registerDefaultCodec(type, new LocalCodec<>(type));
      } catch (IllegalStateException alreadyRegistered) {
        // Several verticles share one Vert.x instance; the first one registers.
      }
    }
  }
}
