package dev.turnpike.provider;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.StreamControl;
import dev.turnpike.contract.StreamFrame;
import dev.turnpike.contract.Usage;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;

/**
 * The provider's side of one stream: numbers the frames, sends them to the edge on the local bus, and hands
 * the edge's flow control and cancellation to the upstream call. It is closed (sends nothing more, holds no
 * consumer) after {@code end}, {@code fail} or a cancellation, whichever comes first.
 */
public final class StreamSink {
  private final EventBus bus;
  private final String address;
  private final MessageConsumer<StreamControl> control;
  private Handler<StreamControl> controlHandler = c -> {};
  private Runnable cancelHandler = () -> {};
  private long seq;
  private boolean closed;
  private boolean cancelled;

  /** Call on the provider's context: that is where control and cancellation are delivered. */
  public StreamSink(Vertx vertx, InvokeRequest request) {
    this.bus = vertx.eventBus();
    this.address = Addresses.stream(request.streamId());
    this.control = bus.<StreamControl>localConsumer(Addresses.streamControl(request.streamId()),
        message -> controlHandler.handle(message.body()));
    Context context = vertx.getOrCreateContext();
    // The edge completes the signal on its own loop, which may not be ours.
    request.cancelled().onComplete(v -> {
      if (Vertx.currentContext() == context) {
        onCancelled();
      } else {
        context.runOnContext(x -> onCancelled());
      }
    });
  }

  /** Where PAUSE and RESUME from the edge go; set it before the first frame. */
  public void onControl(Handler<StreamControl> handler) {
    this.controlHandler = handler;
  }

  /** What to do when the edge gives up on the stream (abort the upstream call); runs at most once. */
  public void onCancel(Runnable handler) {
    this.cancelHandler = handler;
  }

  public boolean cancelled() {
    return cancelled;
  }

  public boolean closed() {
    return closed;
  }

  public void head(int status, Map<String, String> headers) {
    send(new StreamFrame.Head(seq++, status, headers));
  }

  /** Bytes for the client (for an event stream: whole events) and the usage reported up to them. */
  public void data(Buffer bytes, Usage usageSoFar) {
    if (bytes.length() > 0) {
      send(new StreamFrame.Data(seq++, bytes, usageSoFar));
    }
  }

  public void end(Usage usage) {
    end(usage, null);
  }

  public void end(Usage usage, Failure streamError) {
    send(new StreamFrame.End(seq++, usage, streamError));
    close();
  }

  public void fail(Failure failure, Usage usageSoFar) {
    send(new StreamFrame.Failed(seq++, failure, usageSoFar));
    close();
  }

  private void send(StreamFrame frame) {
    if (!closed) {
      bus.send(address, frame, Codecs.LOCAL);
    }
  }

  private void onCancelled() {
    if (closed) {
      return;
    }
    cancelled = true;
    close();
    cancelHandler.run();
  }

  private void close() {
    if (!closed) {
      closed = true;
      control.unregister();
    }
  }
}
