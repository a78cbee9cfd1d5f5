package dev.turnpike.edge;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Admission;
import dev.turnpike.contract.AttemptSettlement;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Deadlines;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.LocalReply;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.Reservation;
import dev.turnpike.contract.ReserveRequest;
import dev.turnpike.contract.StreamControl;
import dev.turnpike.contract.StreamFrame;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.anthropic.TokenEstimator;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import dev.turnpike.contract.config.RetryPolicy;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.Map;

/**
 * One client request from routing onwards: tries the targets in order, relays the chosen attempt's frames to
 * the client with backpressure, fails over while the client has seen nothing, and records every attempt with
 * the usage it reported. What reaches the client is written in its surface's {@link ClientDialect}. It ends
 * exactly once, through {@link Ending}. All of it runs on the event loop that accepted the request.
 */
final class ClientExchange {
  private static final System.Logger LOG = System.getLogger(ClientExchange.class.getName());
  private static final long HEAD_GUARD_MARGIN_MS = 5_000;
  static final String ROUTE_HEADER = "x-turnpike-route";

  /** How the request ended: the status the client got and why it failed (null when answered). */
  interface Ending {
    void ended(int status, Failure failure);
  }

  private final EdgeRuntime runtime;
  private final Vertx vertx;
  private final EventBus bus;
  private final HttpServerResponse response;
  private final ClientDialect dialect;
  private final ExchangeRecorder recorder;
  private final Operation operation;
  private final Admission admission;
  private final RequestParams params;
  private final Buffer body;
  private final MultiMap clientHeaders;
  private final String query;
  private final List<Target> targets;
  private final Ending ending;
  private final long headDeadlineMs;
  private final RetryPolicy retries;
  private final DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

  /** Which of {@code targets} the current attempt goes to. */
  private int targetIndex = -1;
  /** Attempts made so far, retries included. */
  private int attempts;
  private int retriesOfTarget;
  private long retryTimer = -1;
  private String streamId;
  private MessageConsumer<StreamFrame> frames;
  private Promise<Void> attemptCancelled;
  private long expectedSeq;
  /** The attempt's head, applied only with its first bytes: a failover before them must not keep its headers. */
  private StreamFrame.Head head;
  /** Whether the provider answers with an (Anthropic SSE) event stream. */
  private boolean eventStream;
  /** Counted in the node's active streams, until {@link #finish}. */
  private boolean streaming;
  private boolean bytesSent;
  private boolean paused;
  private boolean finished;
  private Usage lastUsage = Usage.NONE;
  private long headTimer = -1;
  private long pauseTimer = -1;
  /** What the current attempt holds of the caller's limits; null once settled. */
  private Reservation reservation;
  private long inputTokens = -1;
  private static final String UNIFIED_PREFIX = "anthropic-ratelimit-unified-";

  ClientExchange(EdgeRuntime runtime, HttpServerResponse response, ClientDialect dialect, ExchangeRecorder recorder,
                 Operation operation, Admission admission, RequestParams params, CanonicalRequest request,
                 List<Target> targets, Ending ending) {
    this.runtime = runtime;
    this.vertx = runtime.vertx();
    this.bus = vertx.eventBus();
    this.response = response;
    this.dialect = dialect;
    this.recorder = recorder;
    this.operation = operation;
    this.admission = admission;
    this.params = params;
    this.body = request.body();
    this.clientHeaders = request.headers();
    this.query = request.query();
    this.targets = targets;
    this.ending = ending;
    // The provider enforces connect and first-byte timeouts itself; this guard only catches a provider that
    // never answers at all (a lost message, a stuck verticle), so it allows a margin beyond both.
    this.headDeadlineMs = runtime.config().timeouts().connectMs() + runtime.config().timeouts().firstByteMs()
        + HEAD_GUARD_MARGIN_MS;
    this.retries = runtime.config().retries();
  }

  void start() {
    startAttempt(0, null);
  }

  /** The client went away: cancel the upstream call and settle what it reported so far. */
  void clientGone() {
    if (finished) {
      return;
    }
    recorder.attemptEnded(FailureCode.CLIENT_CLOSED, lastUsage);
    settleReservation(lastUsage, true);
    finish(FailureCode.CLIENT_CLOSED.httpStatus(), Failure.of(FailureCode.CLIENT_CLOSED, "Client went away"));
  }

  /** The edge gives up (a guard fired, the node is draining, a bug): end the request with {@code failure}. */
  void abort(Failure failure) {
    if (finished) {
      return;
    }
    settleReservation(lastUsage, true);
    if (failure.code() == FailureCode.CLIENT_STALLED) {
      recorder.attemptEnded(FailureCode.CLIENT_STALLED, lastUsage);
      response.reset(); // it is not reading: an error event would only join the queue it does not drain
      finish(FailureCode.CLIENT_STALLED.httpStatus(), failure);
    } else if (bytesSent) {
      recorder.attemptEnded(FailureCode.STREAM_ENDED_EARLY, lastUsage);
      endEarly(failure);
    } else {
      recorder.attemptEnded(failure.code(), lastUsage);
      respondWithError(failure);
    }
  }

  private Target target() {
    return targets.get(targetIndex);
  }

  /**
   * Reserves the attempt's worst case against the caller's limits, then sends it. A target the caller's key may
   * not use is skipped for the next; a budget or rate limit refusal ends the request.
   */
  private void startAttempt(int index, Failure previous) {
    if (index != targetIndex) {
      retriesOfTarget = 0;
    }
    targetIndex = index;
    if (operation != Operation.MESSAGES) {
      reservation = null;
      invoke(previous);
      return;
    }
    Promise<Reservation> reserved = LocalReply.onThisContext(vertx);
    bus.send(runtime.services().loopLocal().address(Addresses.GOVERNANCE_RESERVE), new ReserveRequest(
        recorder.requestId(), admission, target(), this::inputTokens, params.maxTokens(), reserved), Codecs.LOCAL);
    // Governance may hold the request while other requests' reservations settle (timeouts.reservation_wait_ms).
    Deadlines.within(vertx, reserved, runtime.config().timeouts().internalMs()
        + runtime.config().timeouts().reservationWaitMs(), () -> Failure.internal(recorder.requestId()))
        .onComplete(result -> {
          if (finished) {
            if (result.succeeded()) {
              settle(result.result(), Usage.NONE, false);
            }
            return;
          }
          if (result.succeeded()) {
            reservation = result.result();
            invoke(previous);
            return;
          }
          Failure refusal = Failure.from(result.cause());
          if (refusal.code() == FailureCode.FORBIDDEN && index + 1 < targets.size()) {
            startAttempt(index + 1, refusal);
          } else {
            respondWithError(refusal);
          }
        });
  }

  /**
   * The prompt estimate a budget reserves: a third of the body's bytes (a JSON-heavy prompt runs nearer four per
   * token, so this errs high), or a count when it carries images, whose base64 bytes say little.
   */
  private long inputTokens() {
    if (inputTokens < 0) {
      inputTokens = params.hasImages() ? TokenEstimator.estimate(body) : (body.length() + 2) / 3;
    }
    return inputTokens;
  }

  private void settleReservation(Usage usage, boolean counted) {
    Reservation held = reservation;
    reservation = null;
    if (held != null) {
      settle(held, usage, counted);
    }
  }

  /** Ends a reservation (one that holds nothing, {@link Reservation#NONE}, needs no message). */
  private void settle(Reservation held, Usage usage, boolean counted) {
    if (held.hold() != null) {
      bus.send(runtime.services().loopLocal().address(Addresses.GOVERNANCE_ATTEMPT_ENDED),
          new AttemptSettlement(recorder.requestId(), held, usage, counted), Codecs.LOCAL);
    }
  }

  private void invoke(Failure previous) {
    attempts++;
    if (previous != null) {
      LOG.log(System.Logger.Level.INFO, "{0}: {1} {2} after: {3}", recorder.requestId(),
          retriesOfTarget > 0 ? "retrying" : "failing over to", target().qualifiedModel(), previous.message());
    }
    recorder.attemptStarted(target());
    dialect.attemptStarted();
    response.headers().set(ROUTE_HEADER, routeHeader());
    streamId = recorder.requestId() + "." + attempts;
    expectedSeq = 0;
    head = null;
    lastUsage = Usage.NONE;
    attemptCancelled = Promise.promise();
    frames = bus.localConsumer(Addresses.stream(streamId), this::onFrame);
    int guardedAttempt = attempts;
    headTimer = vertx.setTimer(headDeadlineMs, id -> onNoAnswer(guardedAttempt));
    InvokeRequest invoke = new InvokeRequest(recorder.requestId(), streamId, operation, target(), params, body,
        clientHeaders, query, attemptCancelled.future());
    bus.send(runtime.services().loopLocal().address(Addresses.providerInvoke(target().dialect())), invoke,
        Codecs.LOCAL);
  }

  /**
   * {@code rule=<name>|default; target=<provider/model>; attempt=<n>[; affinity=new|bound|moved]}: how this
   * answer was routed.
   */
  private String routeHeader() {
    String rule = recorder.matchedRule();
    String name = rule == null ? "default" : "rule=" + rule.replaceAll("[;\\p{Cntrl}]", ",");
    String affinity = recorder.affinity() == null ? "" : "; affinity=" + recorder.affinity();
    return name + "; target=" + target().qualifiedModel() + "; attempt=" + attempts + affinity;
  }

  private void onFrame(Message<StreamFrame> message) {
    if (finished) {
      return;
    }
    try {
      StreamFrame frame = message.body();
      if (frame.seq() != expectedSeq) {
        abort(Failure.internal(recorder.requestId()));
        return;
      }
      expectedSeq++;
      if (frame instanceof StreamFrame.Data data) {
        onData(data);
      } else if (frame instanceof StreamFrame.Head h) {
        cancelHeadTimer();
        recorder.attemptHead();
        head = h;
        String contentType = h.headers().get("content-type");
        eventStream = contentType != null && contentType.startsWith("text/event-stream");
      } else if (frame instanceof StreamFrame.End end) {
        onEnd(end);
      } else if (frame instanceof StreamFrame.Failed failed) {
        onFailed(failed.failure(), failed.usageSoFar());
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, recorder.requestId() + ": relaying failed", e);
      abort(Failure.internal(recorder.requestId()));
    }
  }

  private void onNoAnswer(int guardedAttempt) {
    headTimer = -1;
    if (!finished && guardedAttempt == attempts && head == null) {
      LOG.log(System.Logger.Level.WARNING, "{0}: provider for {1} never answered; giving up", recorder.requestId(),
          target().qualifiedModel());
      abort(Failure.of(FailureCode.UPSTREAM_TIMEOUT, "No answer from provider '" + target().provider() + "'"));
    }
  }

  private void writeHead() {
    if (bytesSent) {
      return;
    }
    bytesSent = true;
    StreamFrame.Head h = head != null ? head : new StreamFrame.Head(0, 200, Map.of());
    response.setStatusCode(h.status());
    MultiMap headers = response.headers();
    for (Map.Entry<String, String> header : h.headers().entrySet()) {
      headers.set(header.getKey(), header.getValue());
    }
    headers.set("x-turnpike-target", target().qualifiedModel());
    if (reservation != null && !reservation.headers().isEmpty()) {
      // Turnpike's budget speaks for this answer: an upstream account's own unified windows (a subscription's
      // 5-hour limit, say) would mix with it in Claude Code's usage display.
      headers.names().stream().filter(name -> name.toLowerCase(java.util.Locale.ROOT)
          .startsWith(UNIFIED_PREFIX)).toList().forEach(headers::remove);
      reservation.headers().forEach(headers::set);
    }
    if (!runtime.services().lifecycle().accepting()) {
      headers.set("connection", "close"); // draining: the client's next request should reach another node
    }
    if (eventStream) {
      streaming = true;
      runtime.services().streams().opened();
    }
    dialect.head(headers, eventStream);
    response.setChunked(true);
  }

  /**
   * Writes a frame in the client's dialect. A dialect that holds the answer to translate it whole writes nothing
   * yet, so the head waits too; one that cannot translate it fails the attempt as a provider failure would.
   */
  private void onData(StreamFrame.Data data) {
    lastUsage = data.usageSoFar();
    ContentCapture content = recorder.content();
    if (content != null) {
      content.answer(data.bytes());
    }
    Buffer out;
    try {
      out = dialect.data(data.bytes(), eventStream);
    } catch (Failure.FailureException untranslatable) {
      onFailed(untranslatable.failure(), lastUsage);
      return;
    }
    if (out.length() == 0) {
      return;
    }
    writeHead();
    recorder.wrote();
    response.write(out);
    if (!paused && response.writeQueueFull()) {
      paused = true;
      control(StreamControl.PAUSE);
      long pausedMs = runtime.config().timeouts().pausedMs();
      pauseTimer = vertx.setTimer(Math.max(1, pausedMs), id -> {
        pauseTimer = -1;
        abort(Failure.of(FailureCode.CLIENT_STALLED, "Client stopped reading for " + pausedMs + " ms"));
      });
      response.drainHandler(v -> {
        if (!finished) {
          paused = false;
          cancelPauseTimer();
          control(StreamControl.RESUME);
        }
      });
    }
  }

  private void onEnd(StreamFrame.End end) {
    Buffer last;
    try {
      last = dialect.end();
    } catch (Failure.FailureException untranslatable) {
      onFailed(untranslatable.failure(), end.usage()); // held whole, so nothing of it reached the client yet
      return;
    }
    writeHead();
    Failure streamError = end.streamError();
    recorder.attemptEnded(streamError == null ? null : streamError.code(), end.usage());
    settleReservation(end.usage(), true);
    if (last == null) {
      response.end();
    } else {
      recorder.wrote();
      response.end(last);
    }
    finish(response.getStatusCode(), streamError);
  }

  private void onFailed(Failure failure, Usage usageSoFar) {
    releaseAttempt();
    if (!bytesSent && failure.code().retryable()) {
      long delay = failure.code().retrySameTarget()
          ? retries.delayMs(retriesOfTarget + 1, failure.retryAfterSeconds(), random) : -1;
      if (delay >= 0 || targetIndex + 1 < targets.size()) {
        recorder.attemptEnded(failure.code(), usageSoFar);
        settleReservation(usageSoFar, false); // released before the next attempt reserves
        if (delay >= 0) {
          retriesOfTarget++;
          retryTimer = vertx.setTimer(Math.max(1, delay), id -> {
            retryTimer = -1;
            if (!finished) {
              startAttempt(targetIndex, failure);
            }
          });
        } else {
          startAttempt(targetIndex + 1, failure);
        }
        return;
      }
    }
    settleReservation(usageSoFar, true);
    if (bytesSent) {
      recorder.attemptEnded(FailureCode.STREAM_ENDED_EARLY, usageSoFar);
      endEarly(failure);
    } else {
      recorder.attemptEnded(failure.code(), usageSoFar);
      respondWithError(failure);
    }
  }

  /** The client already has part of the answer: end the stream with the dialect's error, on an event boundary. */
  private void endEarly(Failure cause) {
    Failure failure = Failure.of(FailureCode.STREAM_ENDED_EARLY, cause.message());
    LOG.log(System.Logger.Level.WARNING, "{0}: stream_ended_early from {1}: {2}", recorder.requestId(),
        target().qualifiedModel(), cause.message());
    if (eventStream) {
      // Frames are whole events, so what was written ends on an event boundary.
      response.end(dialect.streamError(cause));
    } else {
      response.reset();
    }
    finish(response.getStatusCode(), failure);
  }

  private void respondWithError(Failure failure) {
    dialect.error(response, failure);
    finish(dialect.errorStatus(failure), failure);
  }

  private void control(StreamControl command) {
    if (streamId != null) {
      bus.send(Addresses.streamControl(streamId), command, Codecs.LOCAL);
    }
  }

  private void cancelHeadTimer() {
    if (headTimer >= 0) {
      vertx.cancelTimer(headTimer);
      headTimer = -1;
    }
  }

  private void cancelRetryTimer() {
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  private void cancelPauseTimer() {
    if (pauseTimer >= 0) {
      vertx.cancelTimer(pauseTimer);
      pauseTimer = -1;
    }
  }

  /** Stops listening to the current attempt and tells its provider it is over (a no-op if it already ended). */
  private void releaseAttempt() {
    cancelHeadTimer();
    cancelPauseTimer();
    if (frames != null) {
      frames.unregister();
      frames = null;
    }
    if (attemptCancelled != null) {
      attemptCancelled.tryComplete();
    }
  }

  private void finish(int status, Failure failure) {
    finished = true;
    if (streaming) {
      streaming = false;
      runtime.services().streams().closed();
    }
    settleReservation(lastUsage, true); // whatever ended it, nothing stays reserved
    cancelRetryTimer();
    releaseAttempt();
    ending.ended(status, failure);
  }
}
