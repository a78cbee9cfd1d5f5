package dev.turnpike.provider;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.StreamControl;
import dev.turnpike.contract.StreamFrame;
import dev.turnpike.contract.Usage;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;

/**
 * The provider's side of one stream: numbers the frames, sends them to the edge on the local bus, and hands
 * the edge's flow control to the upstream call. After {@code end} or {@code fail} it sends nothing more.
 */
public final class StreamSink {
  private final EventBus bus;
  private final String address;
  private final MessageConsumer<StreamControl> control;
  private Handler<StreamControl> controlHandler = c -> {};
  private long seq;
  private boolean closed;
  private boolean cancelled;

  public StreamSink(Vertx vertx, String streamId) {
    this.bus = vertx.eventBus();
    this.address = Addresses.stream(streamId);
    this.control = bus.<StreamControl>localConsumer(Addresses.streamControl(streamId), message -> {
      StreamControl command = message.body();
      if (command == StreamControl.CANCEL) {
        cancelled = true;
      }
      controlHandler.handle(command);
    });
  }

  /** Where PAUSE, RESUME and CANCEL from the edge go; set it before the first frame. */
  public void onControl(Handler<StreamControl> handler) {
    this.controlHandler = handler;
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

  public void data(Buffer bytes) {
    if (bytes.length() > 0) {
      send(new StreamFrame.Data(seq++, bytes));
    }
  }

  public void end(Usage usage) {
    send(new StreamFrame.End(seq++, usage));
    close();
  }

  public void fail(Failure failure, Usage usageSoFar) {
    send(new StreamFrame.Failed(seq++, failure, usageSoFar));
    close();
  }

  private void send(StreamFrame frame) {
    // After CANCEL the edge has stopped listening: a frame would only find no handler (and be logged as such).
    if (!closed && !cancelled) {
      bus.send(address, frame, Codecs.LOCAL);
    }
  }

  private void close() {
    if (!closed) {
      closed = true;
      control.unregister();
    }
  }
}
