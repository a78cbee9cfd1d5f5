package dev.turnpike.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open-loop load: requests leave at a fixed rate on the clock, whether or not earlier ones have finished, and every
 * latency is measured from the request's <em>intended</em> send time, so a stall in the system under test (or in
 * this generator) shows up as latency instead of silently lowering the rate (no coordinated omission).
 *
 * <p>Each of {@code loops} event loops owns its own HttpClient (so a connection never changes threads) and sends
 * every {@code loops}-th request of the schedule, woken by a nanosecond event-loop timer (epoll timerfd). Time to
 * first byte is the first body chunk; time to last byte is the end of the response, which must be a 200 whose last
 * bytes contain the endpoint's terminator (e.g. {@code message_stop}), otherwise it counts as an error, classified
 * by {@link Failure}.
 */
public final class LoadGen implements AutoCloseable {
  private static final long REQUEST_IDLE_TIMEOUT_MS = 15_000;

  private final Vertx vertx;
  private final List<ContextInternal> loops = new CopyOnWriteArrayList<>();
  private final HttpClient[] clients;

  public LoadGen(int loopCount) {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loopCount).setPreferNativeTransport(true));
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        loops.add((ContextInternal) context);
        return Future.succeededFuture();
      }
    }, new io.vertx.core.DeploymentOptions().setInstances(loopCount)).await();
    clients = new HttpClient[loops.size()];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = newClient(i);
    }
  }

  public boolean nativeTransport() {
    return vertx.isNativeTransportEnabled();
  }

  private HttpClient newClient(int loop) {
    HttpClient[] made = new HttpClient[1];
    CountDownLatch latch = new CountDownLatch(1);
    loops.get(loop).runOnContext(v -> {
      made[0] = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
              .setDecompressionSupported(false).setMaxInitialLineLength(64 * 1024),
          new PoolOptions().setHttp1MaxSize(2048).setMaxWaitQueueSize(-1));
      latch.countDown();
    });
    await(latch);
    return made[0];
  }

  /** Runs one step: {@code rate} requests/s for {@code duration}, then waits up to {@code drain} for stragglers. */
  public Step run(List<Endpoint> endpoints, List<List<Buffer>> bodiesPerEndpoint, int rate, Duration duration,
                  Duration drain) {
    long total = Math.max(1, Math.round(rate * (duration.toNanos() / 1e9)));
    Step step = new Step(rate, total, endpoints.size());
    double interval = 1e9 / rate;
    long t0 = System.nanoTime() + 20_000_000L;
    CountDownLatch scheduled = new CountDownLatch(loops.size());
    for (int k = 0; k < loops.size(); k++) {
      new Pacer(k, step, endpoints, bodiesPerEndpoint, t0, interval, total, scheduled).start();
    }
    await(scheduled);
    step.scheduleEnd = System.nanoTime();
    long deadline = System.nanoTime() + drain.toNanos();
    while (step.finished.sum() < step.sent.sum() && System.nanoTime() < deadline) {
      sleep(10);
    }
    step.close();
    if (step.unfinished > 0) {
      // stragglers would leak into the next step: drop their connections with a fresh client per loop
      for (int i = 0; i < clients.length; i++) {
        HttpClient old = clients[i];
        clients[i] = newClient(i);
        old.close();
      }
    }
    return step;
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  /** Issues loop {@code k}'s share of the schedule. */
  private final class Pacer implements Runnable {
    private final int k;
    private final Step step;
    private final List<Endpoint> endpoints;
    private final List<List<Buffer>> bodies;
    private final long t0;
    private final double interval;
    private final long total;
    private final CountDownLatch scheduled;
    private final ContextInternal context;
    private final HttpClient client;
    private long next;

    Pacer(int k, Step step, List<Endpoint> endpoints, List<List<Buffer>> bodies, long t0, double interval,
          long total, CountDownLatch scheduled) {
      this.k = k;
      this.step = step;
      this.endpoints = endpoints;
      this.bodies = bodies;
      this.t0 = t0;
      this.interval = interval;
      this.total = total;
      this.scheduled = scheduled;
      this.context = loops.get(k);
      this.client = clients[k];
      this.next = k;
    }

    void start() {
      schedule(t0 - System.nanoTime());
    }

    private long intended(long i) {
      return t0 + (long) (i * interval);
    }

    private void schedule(long delay) {
      context.nettyEventLoop().schedule(this, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
      context.dispatch(this::tick);
    }

    private void tick() {
      long now = System.nanoTime();
      while (next < total && intended(next) <= now) {
        fire(next, intended(next), now);
        next += loops.size();
      }
      if (next < total) {
        schedule(intended(next) - System.nanoTime());
      } else {
        scheduled.countDown();
      }
    }

    private void fire(long i, long intended, long now) {
      int e = (int) (i % endpoints.size());
      Endpoint endpoint = endpoints.get(e);
      List<Buffer> choices = bodies.get(e);
      Buffer body = choices.get((int) ((i / endpoints.size()) % choices.size()));
      step.sent.increment();
      step.lag.recordValue(Math.max(0, (now - intended) / 1000));
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(endpoint.port()).setURI(endpoint.path()).setIdleTimeout(REQUEST_IDLE_TIMEOUT_MS)
          .setConnectTimeout(5_000);
      for (Map.Entry<String, String> h : endpoint.headers().entrySet()) {
        options.putHeader(h.getKey(), h.getValue());
      }
      Exchange exchange = new Exchange(step, intended, endpoint.terminator(), e);
      client.request(options)
          .compose(request -> request.send(body))
          .onComplete(ar -> {
            if (ar.failed()) {
              exchange.error(ar.cause());
            } else {
              exchange.response(ar.result());
            }
          });
    }
  }

  /** One request's answer. */
  private static final class Exchange {
    private final Step step;
    private final long intended;
    private final String terminator;
    private final int endpoint;
    private int status;
    private long firstByte;
    private byte[] tail = new byte[0];
    private boolean done;

    Exchange(Step step, long intended, String terminator, int endpoint) {
      this.step = step;
      this.intended = intended;
      this.terminator = terminator;
      this.endpoint = endpoint;
    }

    void response(HttpClientResponse response) {
      status = response.statusCode();
      response.exceptionHandler(this::error);
      response.handler(this::chunk);
      response.endHandler(v -> end());
    }

    private void chunk(Buffer chunk) {
      if (firstByte == 0) {
        firstByte = System.nanoTime();
      }
      // keep the last 96 bytes across chunks: the terminator may straddle two of them
      int keepNew = Math.min(chunk.length(), 96);
      int keepOld = Math.min(tail.length, 96 - keepNew);
      byte[] joined = new byte[keepOld + keepNew];
      System.arraycopy(tail, tail.length - keepOld, joined, 0, keepOld);
      chunk.getBytes(chunk.length() - keepNew, chunk.length(), joined, keepOld);
      tail = joined;
    }

    private void end() {
      if (done) {
        return;
      }
      done = true;
      long now = System.nanoTime();
      String last = new String(tail, java.nio.charset.StandardCharsets.UTF_8);
      if (status == 200 && last.contains(terminator) && firstByte != 0) {
        step.record(endpoint, firstByte - intended, now - intended);
      } else {
        step.failure(status == 200 ? "200 without " + terminator + " at the end" : "HTTP " + status,
            status == 200 ? Failure.PROTOCOL : Failure.ofStatus(status));
      }
    }

    void error(Throwable error) {
      if (done) {
        return;
      }
      done = true;
      step.failure(error.getClass().getSimpleName() + ": " + error.getMessage(), Failure.of(error));
    }
  }

  /**
   * Why a request failed. A busy machine explains {@link #OVERLOADED} and {@link #TIMEOUT}; {@link #PROTOCOL} is
   * an answer that is wrong whatever the load, which a smoke run must not let pass (see {@link Smoke}).
   */
  public enum Failure {
    /** Refused for capacity: 529 (a node past {@code server.max_in_flight}), 503, a refused connection. */
    OVERLOADED,
    /** No answer in time: this generator gave up, or 504/408 from a timeout further down the chain. */
    TIMEOUT,
    /** Any other status, a connection lost mid-answer, an answer not ending in the endpoint's terminator. */
    PROTOCOL;

    static Failure ofStatus(int status) {
      return switch (status) {
        case 503, 529 -> OVERLOADED;
        case 408, 504 -> TIMEOUT;
        default -> PROTOCOL;
      };
    }

    static Failure of(Throwable error) {
      String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
      if (error instanceof TimeoutException || message.contains("timeout") || message.contains("timed out")) {
        return TIMEOUT; // netty's ConnectTimeoutException is also a ConnectException: checked first
      }
      // a full accept queue refuses; so does a dead process, which the harness checks for apart (Bench)
      return error instanceof ConnectException ? OVERLOADED : PROTOCOL;
    }
  }

  /** The counts and latencies of one step; latencies in microseconds. */
  public static final class Step {
    public final int rate;
    public final long planned;
    final LongAdder sent = new LongAdder();
    final LongAdder finished = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder overloaded = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final Map<String, AtomicInteger> errorKinds = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> protocolKinds = new ConcurrentHashMap<>();
    final Recorder ttfbRecorder = new Recorder(3);
    final Recorder ttlbRecorder = new Recorder(3);
    final Recorder lag = new Recorder(3);
    /** Last byte per endpoint, for scenarios whose endpoints are the two sides of a comparison. */
    final Recorder[] ttlbByEndpoint;
    final long start = System.nanoTime();
    long scheduleEnd;
    private volatile boolean closed;
    public Histogram ttfb;
    public Histogram ttlb;
    public Histogram sendLag;
    public Histogram[] ttlbPerEndpoint;
    public long unfinished;

    Step(int rate, long planned, int endpoints) {
      this.rate = rate;
      this.planned = planned;
      this.ttlbByEndpoint = new Recorder[endpoints];
      for (int i = 0; i < endpoints; i++) {
        ttlbByEndpoint[i] = new Recorder(3);
      }
    }

    void record(int endpoint, long ttfbNanos, long ttlbNanos) {
      if (closed) {
        return;
      }
      ttfbRecorder.recordValue(Math.max(1, ttfbNanos / 1000));
      ttlbRecorder.recordValue(Math.max(1, ttlbNanos / 1000));
      ttlbByEndpoint[endpoint].recordValue(Math.max(1, ttlbNanos / 1000));
      ok.increment();
      finished.increment();
    }

    void failure(String kind, Failure why) {
      if (closed) {
        return;
      }
      String key = kind.length() > 120 ? kind.substring(0, 120) : kind;
      switch (why) {
        case TIMEOUT -> timeouts.increment();
        case OVERLOADED -> {
          errors.increment();
          overloaded.increment();
        }
        case PROTOCOL -> {
          errors.increment();
          protocolErrors.increment();
          protocolKinds.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet();
        }
      }
      errorKinds.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet();
      finished.increment();
    }

    void close() {
      closed = true;
      ttfb = ttfbRecorder.getIntervalHistogram();
      ttlb = ttlbRecorder.getIntervalHistogram();
      sendLag = lag.getIntervalHistogram();
      ttlbPerEndpoint = new Histogram[ttlbByEndpoint.length];
      for (int i = 0; i < ttlbByEndpoint.length; i++) {
        ttlbPerEndpoint[i] = ttlbByEndpoint[i].getIntervalHistogram();
      }
      unfinished = Math.max(0, sent.sum() - finished.sum());
    }

    public long sent() {
      return sent.sum();
    }

    public long ok() {
      return ok.sum();
    }

    /** Failed requests other than timeouts: {@link #overloaded()} plus {@link #protocolErrors()}. */
    public long errors() {
      return errors.sum();
    }

    /** Refused for capacity ({@link Failure#OVERLOADED}). */
    public long overloaded() {
      return overloaded.sum();
    }

    /** Wrong answers ({@link Failure#PROTOCOL}). */
    public long protocolErrors() {
      return protocolErrors.sum();
    }

    /** The kinds of {@link #protocolErrors()} and their counts. */
    public Map<String, Integer> protocolErrorKinds() {
      Map<String, Integer> out = new java.util.TreeMap<>();
      protocolKinds.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }

    /** Timed-out requests plus those still unanswered when the drain period ended. */
    public long timeouts() {
      return timeouts.sum() + unfinished;
    }

    public Map<String, Integer> errorKinds() {
      Map<String, Integer> out = new java.util.TreeMap<>();
      errorKinds.forEach((k, v) -> out.put(k, v.get()));
      if (unfinished > 0) {
        out.put("still unanswered when the drain period ended", (int) unfinished);
      }
      return out;
    }

    /** Requests sent per second over the scheduling window. */
    public double sentRate() {
      double seconds = (scheduleEnd - start) / 1e9;
      return seconds <= 0 ? 0 : sent.sum() / seconds;
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
