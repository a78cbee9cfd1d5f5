package dev.turnpike.provider;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.StreamControl;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.provider.auth.UpstreamAuth;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One HTTP call to an upstream on behalf of one stream: applies the connect, first-byte and idle timeouts,
 * relays the edge's PAUSE/RESUME to the upstream response, aborts the call when the edge cancels, and turns
 * transport errors into failures that carry the usage reported so far. A single watchdog timer serves both byte
 * timeouts, so a chunk costs one {@code nanoTime()}, not a timer.
 */
public final class UpstreamExchange {
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_RETRY_AFTER_SECONDS = 3600;
  private final Vertx vertx;
  private final HttpClient client;
  private final Timeouts timeouts;
  private final StreamSink sink;
  private final String providerName;
  private HttpClientRequest request;
  private HttpClientResponse response;
  private long lastActivityNanos;
  private long watchdog = -1;
  private boolean done;
  private boolean pausedByEdge;
  /** The whole answer arrived: failing now must not reset a connection that can be reused. */
  private boolean answerComplete;
  private Supplier<Usage> usageSoFar = () -> Usage.NONE;
  private Predicate<Failure> answersInstead = failure -> false;

  public UpstreamExchange(Vertx vertx, HttpClient client, Timeouts timeouts, StreamSink sink, String providerName) {
    this.vertx = vertx;
    this.client = client;
    this.timeouts = timeouts;
    this.sink = sink;
    this.providerName = providerName;
    sink.onControl(this::onControl);
    sink.onCancel(this::cancel);
  }

  /** Where a failure finds the usage reported before it (a stream cut short still used its input tokens). */
  public void usageSoFar(Supplier<Usage> usage) {
    this.usageSoFar = usage;
  }

  /**
   * Lets the adapter answer some failures another way (count_tokens answers an estimate): when {@code handler}
   * returns true it has answered on the sink itself and the failure is not sent.
   */
  public void answerFailuresWith(Predicate<Failure> handler) {
    this.answersInstead = handler;
  }

  /**
   * Adds the provider's credentials to {@code request}, then sends it (see {@link #send(RequestOptions, Buffer,
   * Handler)}). Credentials that cannot be had fail the call like any upstream failure.
   */
  public void send(UpstreamAuth auth, UpstreamRequest request, Handler<HttpClientResponse> onResponse) {
    auth.authorize(request).onComplete(authorized -> {
      if (authorized.failed()) {
        fail(Failure.from(authorized.cause()), Usage.NONE);
      } else {
        send(request.options(), request.body(), onResponse);
      }
    });
  }

  /**
   * Sends the request; {@code onResponse} runs on this context and must install its handlers before returning
   * (installing them later lost the first chunk).
   */
  public void send(RequestOptions options, Buffer body, Handler<HttpClientResponse> onResponse) {
    if (sink.closed()) {
      return; // cancelled before the call was even made
    }
    lastActivityNanos = System.nanoTime();
    armWatchdog(timeouts.firstByteMs());
    options.setConnectTimeout(timeouts.connectMs());
    client.request(options)
        .compose(req -> {
          request = req;
          if (done) {
            req.reset();
          }
          return req.send(body);
        })
        .onSuccess(resp -> {
          if (done) {
            return;
          }
          response = resp;
          touch();
          // From now on the idle limit applies, which is usually much shorter than the first-byte one.
          cancelWatchdog();
          armWatchdog(timeouts.idleMs());
          resp.exceptionHandler(this::fail);
          onResponse.handle(resp);
          if (pausedByEdge) {
            resp.pause();
          }
        })
        .onFailure(this::fail);
  }

  /**
   * Reads an error answer's body (its first {@value #MAX_ERROR_BODY} bytes are plenty for a message; the rest is
   * read and dropped) and hands it over once the upstream finished; the handler then ends the call with
   * {@link #fail}.
   */
  public void readErrorBody(HttpClientResponse response, Handler<Buffer> onBody) {
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      touch();
      int room = MAX_ERROR_BODY - body.length();
      if (room > 0) {
        body.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
      }
    });
    response.endHandler(v -> {
      answerComplete = true;
      if (!done) {
        onBody.handle(body);
      }
    });
  }

  /**
   * Reads a whole answer of at most {@code maxBytes}; a bigger one fails the call with a clear error instead of
   * growing a buffer without end.
   */
  public void readWholeBody(HttpClientResponse response, long maxBytes, Handler<Buffer> onBody) {
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      touch();
      if (done) {
        return;
      }
      if (body.length() + chunk.length() > maxBytes) {
        fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + providerName + "' answered with more than "
            + maxBytes + " bytes (server.max_answer_bytes)"), usageSoFar.get());
        return;
      }
      body.appendBuffer(chunk);
    });
    response.endHandler(v -> {
      answerComplete = true;
      if (!done) {
        onBody.handle(body);
      }
    });
  }

  /** The upstream's {@code retry-after} in seconds (the delta form; an HTTP date counts as none), at most an hour. */
  public static int retryAfterSeconds(HttpClientResponse response) {
    String value = response.getHeader("retry-after");
    if (value == null) {
      return 0;
    }
    try {
      return (int) Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, Math.ceil(Double.parseDouble(value.trim()))));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Records upstream activity; call it for every chunk received. */
  public void touch() {
    lastActivityNanos = System.nanoTime();
  }

  public boolean done() {
    return done;
  }

  /** The call completed; stop the watchdog. The adapter sends its own final frame. */
  public void finish() {
    done = true;
    cancelWatchdog();
  }

  private void cancelWatchdog() {
    if (watchdog >= 0) {
      vertx.cancelTimer(watchdog);
      watchdog = -1;
    }
  }

  /** Aborts the call and reports {@code failure}, unless the call already ended. */
  public void fail(Failure failure, Usage usage) {
    if (done) {
      return;
    }
    finish();
    if (request != null && !answerComplete) {
      request.reset();
    }
    if (!answersInstead.test(failure)) {
      sink.fail(failure, usage);
    }
  }

  private void fail(Throwable error) {
    fail(classify(error), usageSoFar.get());
  }

  /** The edge gave up: abort the upstream call; nothing more is sent (the sink is closed). */
  private void cancel() {
    if (!done) {
      finish();
      if (request != null) {
        request.reset();
      }
    }
  }

  private Failure classify(Throwable error) {
    if (error instanceof ConnectException || error.getCause() instanceof ConnectException) {
      return Failure.of(FailureCode.UPSTREAM_UNAVAILABLE, "Provider '" + providerName + "' is unreachable");
    }
    if (error instanceof TimeoutException || error.getClass().getSimpleName().contains("Timeout")) {
      return Failure.of(FailureCode.UPSTREAM_TIMEOUT, "Provider '" + providerName + "' timed out connecting");
    }
    String phase = response == null ? "before answering" : "while answering";
    return Failure.of(FailureCode.UPSTREAM_UNAVAILABLE,
        "Provider '" + providerName + "' closed the connection " + phase);
  }

  private void onControl(StreamControl command) {
    switch (command) {
      case PAUSE -> {
        pausedByEdge = true;
        if (response != null) {
          response.pause();
        }
      }
      case RESUME -> {
        pausedByEdge = false;
        if (response != null) {
          response.resume();
        }
        touch();
      }
    }
  }

  private void armWatchdog(long delayMs) {
    watchdog = vertx.setTimer(Math.max(1, delayMs), id -> checkTimeouts());
  }

  private void checkTimeouts() {
    watchdog = -1;
    if (done) {
      return;
    }
    boolean waitingForFirstByte = response == null;
    long limitMs = waitingForFirstByte ? timeouts.firstByteMs() : timeouts.idleMs();
    long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivityNanos);
    if (pausedByEdge) {
      armWatchdog(limitMs); // a paused client is backpressure, not an idle upstream; the edge caps the pause
    } else if (idleMs >= limitMs) {
      String what = waitingForFirstByte ? "send its first byte" : "send more data";
      fail(Failure.of(FailureCode.UPSTREAM_TIMEOUT,
          "Provider '" + providerName + "' did not " + what + " within " + limitMs + " ms"), usageSoFar.get());
    } else {
      armWatchdog(limitMs - idleMs);
    }
  }
}
