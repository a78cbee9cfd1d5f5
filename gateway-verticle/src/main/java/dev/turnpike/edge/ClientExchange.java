package dev.turnpike.edge;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Admission;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.LoopLocal;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.SettleRequest;
import dev.turnpike.contract.StreamControl;
import dev.turnpike.contract.StreamFrame;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.anthropic.AnthropicErrors;
import dev.turnpike.contract.config.Timeouts;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;

/**
 * One client request from routing onwards: tries the targets in order, relays the chosen attempt's frames to
 * the client with backpressure, fails over while the client has seen nothing, and settles every attempt.
 * All of it runs on the event loop that accepted the request.
 */
final class ClientExchange {
  private static final System.Logger LOG = System.getLogger(ClientExchange.class.getName());
  private static final long HEAD_GUARD_MARGIN_MS = 5_000;

  private final Vertx vertx;
  private final EventBus bus;
  private final HttpServerResponse response;
  private final String requestId;
  private final Operation operation;
  private final RequestParams params;
  private final Buffer body;
  private final MultiMap clientHeaders;
  private final String query;
  private final Admission admission;
  private final List<Target> targets;
  private final long headDeadlineMs;

  private int attempt = -1;
  private String streamId;
  private MessageConsumer<StreamFrame> frames;
  private long expectedSeq;
  private boolean sse;
  private boolean bytesSent;
  private boolean paused;
  private boolean finished;
  private long headTimer = -1;

  ClientExchange(Vertx vertx, HttpServerResponse response, String requestId, Operation operation,
                 RequestParams params, Buffer body, MultiMap clientHeaders, String query, Admission admission,
                 List<Target> targets, Timeouts timeouts) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.response = response;
    this.requestId = requestId;
    this.operation = operation;
    this.params = params;
    this.body = body;
    this.clientHeaders = clientHeaders;
    this.query = query;
    this.admission = admission;
    this.targets = targets;
    // The provider enforces connect and first-byte timeouts itself; this guard only catches a provider that
    // never answers at all (a lost message, a stuck verticle), so it allows a margin beyond both.
    this.headDeadlineMs = timeouts.connectMs() + timeouts.firstByteMs() + HEAD_GUARD_MARGIN_MS;
  }

  void start() {
    response.closeHandler(v -> onClientClosed());
    nextAttempt(null);
  }

  private Target target() {
    return targets.get(attempt);
  }

  private void nextAttempt(Failure previous) {
    attempt++;
    if (attempt >= targets.size()) {
      finish();
      ErrorResponses.send(response, previous);
      return;
    }
    if (previous != null) {
      LOG.log(System.Logger.Level.INFO, "{0}: failing over to {1} after: {2}", requestId,
          target().qualifiedModel(), previous.message());
    }
    streamId = requestId + "." + attempt;
    expectedSeq = 0;
    frames = bus.localConsumer(Addresses.stream(streamId), this::onFrame);
    int guardedAttempt = attempt;
    headTimer = vertx.setTimer(headDeadlineMs, id -> onNoHead(guardedAttempt));
    InvokeRequest invoke = new InvokeRequest(requestId, streamId, operation, target(), params, body, clientHeaders,
        query);
    bus.send(LoopLocal.address(vertx, Addresses.providerInvoke(target().dialect())), invoke, Codecs.LOCAL);
  }

  private void onFrame(Message<StreamFrame> message) {
    StreamFrame frame = message.body();
    if (finished) {
      return;
    }
    if (frame.seq() != expectedSeq) {
      abort(Failure.of(FailureCode.INTERNAL, "Stream frames arrived out of order"), Usage.NONE);
      return;
    }
    expectedSeq++;
    if (frame instanceof StreamFrame.Data data) {
      onData(data.bytes());
    } else if (frame instanceof StreamFrame.Head head) {
      onHead(head);
    } else if (frame instanceof StreamFrame.End end) {
      onEnd(end.usage());
    } else if (frame instanceof StreamFrame.Failed failed) {
      onFailed(failed.failure(), failed.usageSoFar());
    }
  }

  private void onNoHead(int guardedAttempt) {
    headTimer = -1;
    if (!finished && guardedAttempt == attempt) {
      LOG.log(System.Logger.Level.WARNING, "{0}: provider for {1} never answered; giving up", requestId,
          target().qualifiedModel());
      abort(Failure.of(FailureCode.UPSTREAM_TIMEOUT, "No answer from provider '" + target().provider() + "'"),
          Usage.NONE);
    }
  }

  private void cancelHeadTimer() {
    if (headTimer >= 0) {
      vertx.cancelTimer(headTimer);
      headTimer = -1;
    }
  }

  private void onHead(StreamFrame.Head head) {
    cancelHeadTimer();
    response.setStatusCode(head.status());
    MultiMap headers = response.headers();
    for (Map.Entry<String, String> header : head.headers().entrySet()) {
      headers.set(header.getKey(), header.getValue());
    }
    headers.set("x-turnpike-request-id", requestId);
    headers.set("x-turnpike-target", target().qualifiedModel());
    String contentType = head.headers().get("content-type");
    sse = contentType != null && contentType.startsWith("text/event-stream");
    response.setChunked(true);
  }

  private void onData(Buffer bytes) {
    bytesSent = true;
    response.write(bytes);
    if (!paused && response.writeQueueFull()) {
      paused = true;
      control(StreamControl.PAUSE);
      response.drainHandler(v -> {
        paused = false;
        control(StreamControl.RESUME);
      });
    }
  }

  private void onEnd(Usage usage) {
    finish();
    response.end();
    settle(usage, true);
  }

  private void onFailed(Failure failure, Usage usageSoFar) {
    cancelHeadTimer();
    settle(usageSoFar, false);
    frames.unregister();
    if (!bytesSent && failure.code().retryable() && attempt + 1 < targets.size()) {
      nextAttempt(failure);
      return;
    }
    finish();
    if (!bytesSent) {
      LOG.log(System.Logger.Level.INFO, "{0}: {1} failed: {2}", requestId, target().qualifiedModel(),
          failure.message());
      ErrorResponses.send(response, failure);
    } else {
      endEarly(failure);
    }
  }

  /** The client already has part of the answer: end the stream with an error event (DESIGN §2). */
  private void endEarly(Failure failure) {
    LOG.log(System.Logger.Level.WARNING, "{0}: stream_ended_early from {1}: {2}", requestId,
        target().qualifiedModel(), failure.message());
    if (sse) {
      response.end(AnthropicErrors.sseEvent(Failure.of(FailureCode.STREAM_ENDED_EARLY, failure.message())));
    } else {
      response.reset();
    }
  }

  private void abort(Failure failure, Usage usage) {
    control(StreamControl.CANCEL);
    settle(usage, false);
    finish();
    if (bytesSent) {
      endEarly(failure);
    } else {
      ErrorResponses.send(response, failure);
    }
  }

  private void onClientClosed() {
    if (!finished) {
      control(StreamControl.CANCEL);
      settle(Usage.NONE, false);
      finish();
      LOG.log(System.Logger.Level.DEBUG, "{0}: client went away; upstream call cancelled", requestId);
    }
  }

  private void control(StreamControl command) {
    if (streamId != null) {
      bus.send(Addresses.streamControl(streamId), command, Codecs.LOCAL);
    }
  }

  private void settle(Usage usage, boolean succeeded) {
    // count_tokens calls are not model requests: they cost nothing and would inflate request counts.
    if (operation == Operation.MESSAGES && attempt >= 0 && attempt < targets.size()) {
      bus.send(LoopLocal.address(vertx, Addresses.GOVERNANCE_SETTLE),
          new SettleRequest(requestId, admission, target(), usage, succeeded), Codecs.LOCAL);
    }
  }

  private void finish() {
    finished = true;
    cancelHeadTimer();
    if (frames != null) {
      frames.unregister();
    }
  }
}
