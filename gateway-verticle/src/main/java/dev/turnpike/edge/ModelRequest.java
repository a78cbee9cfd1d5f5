package dev.turnpike.edge;

import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.Admission;
import dev.turnpike.contract.AdmitRequest;
import dev.turnpike.contract.Codecs;
import dev.turnpike.contract.Deadlines;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.LocalReply;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.RouteDecision;
import dev.turnpike.contract.RouteRequest;
import dev.turnpike.contract.anthropic.AnthropicBody;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One model request ({@code POST /anthropic/v1/messages} or {@code count_tokens}, a Bedrock or Vertex call, or an
 * OpenAI Chat Completions call) from its head to its one ending: takes an in-flight slot, admits the client before
 * reading a byte of its body, reads the body within the node's limits, has its surface turn it into a canonical
 * Anthropic request, validates that without building a tree, routes it, and hands it to a {@link ClientExchange}. Whatever ends it (an answer, a
 * refusal, a failure, the client leaving, a drain) completes its {@link ExchangeRecord} once, releases its slot and
 * its body bytes, and settles its usage. Every answer is written in the surface's {@link ClientDialect}.
 */
final class ModelRequest implements InFlightRequests.Abortable {
  private static final System.Logger LOG = System.getLogger(ModelRequest.class.getName());
  private static final int MAX_MODEL_CHARS = 256;

  private final EdgeRuntime runtime;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Operation operation;
  private final SurfaceCall call;
  private final ExchangeRecorder recorder;
  private BodyReader bodyReader;
  private InFlightRequests.Slot slot;
  private ClientExchange exchange;
  private Admission admission;

  ModelRequest(EdgeRuntime runtime, HttpServerRequest request, SurfaceCall call) {
    this.runtime = runtime;
    this.request = request;
    this.response = request.response();
    this.call = call;
    this.operation = call.operation();
    String requestId = RequestIds.next();
    this.recorder = new ExchangeRecorder(requestId, runtime.services().nodeId(), operation, clientInfo(request),
        this::settle);
  }

  void start() {
    begin();
    if (!runtime.services().lifecycle().accepting()) {
      response.putHeader("connection", "close");
      fail(Failure.of(FailureCode.OVERLOADED, "Turnpike node is shutting down; retry").withRetryAfter(1));
      return;
    }
    slot = runtime.services().inFlight().tryEnter(this, runtime.vertx().getOrCreateContext());
    if (slot == null) {
      fail(Failure.of(FailureCode.OVERLOADED, "Turnpike node is at capacity ("
          + runtime.services().inFlight().max() + " requests in flight); retry shortly").withRetryAfter(1));
      return;
    }
    try {
      admit()
          .compose(this::readBody)
          .compose(this::route)
          .onComplete(done -> {
            if (recorder.completed()) {
              return; // the client left, or the node ended the request, meanwhile
            }
            if (done.failed()) {
              fail(Failure.from(done.cause()));
            } else {
              done.result().start();
            }
          });
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, recorder.requestId() + ": request failed", e);
      fail(Failure.internal(recorder.requestId()));
    }
  }

  /**
   * Answers with {@code failure} without reading the body: what the URL says already refuses the request (an
   * unsupported action, a malformed model id). It is recorded like any other request.
   */
  void refuse(Failure failure) {
    begin();
    fail(failure);
  }

  private void begin() {
    request.pause(); // nothing is read until the client is admitted
    response.putHeader(ClientResponses.REQUEST_ID, recorder.requestId());
    response.closeHandler(v -> onClientGone());
  }

  @Override
  public void abort(Failure failure) {
    if (exchange != null) {
      exchange.abort(failure);
    } else {
      fail(failure);
    }
  }

  private Future<Admission> admit() {
    Promise<Admission> admitted = LocalReply.onThisContext(runtime.vertx());
    runtime.vertx().eventBus().send(runtime.services().loopLocal().address(Addresses.GOVERNANCE_ADMIT),
        new AdmitRequest(recorder.requestId(), Credentials.of(request), admitted), Codecs.LOCAL);
    return Deadlines.within(runtime.vertx(), admitted, runtime.config().timeouts().internalMs(),
        () -> Failure.internal(recorder.requestId()));
  }

  private Future<Buffer> readBody(Admission admitted) {
    admission = admitted;
    recorder.admitted(admitted);
    if (recorder.completed()) {
      return Future.failedFuture(gone().asException());
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("expect"))) {
      response.writeContinue();
    }
    bodyReader = new BodyReader(runtime.vertx(), request, runtime.config().server(),
        runtime.services().bodyBudget());
    return bodyReader.read();
  }

  private Future<ClientExchange> route(Buffer received) {
    if (recorder.completed()) {
      return Future.failedFuture(gone().asException());
    }
    if (received.length() == 0) {
      throw invalid("Request body is empty");
    }
    CanonicalRequest canonical = call.canonicaliser().canonical(received, request);
    Buffer body = canonical.body();
    AnthropicBody.Summary summary = AnthropicBody.scan(body);
    RequestParams params = validated(summary);
    recorder.requested(params.model(), params.stream());
    var requestLog = runtime.config().requestLog();
    if (requestLog.enabled() && (requestLog.content() || admission.logContent())) {
      ContentCapture content = new ContentCapture(requestLog.contentMaxBytes());
      content.request(body);
      recorder.captureContent(content);
    }
    Promise<RouteDecision> routed = LocalReply.onThisContext(runtime.vertx());
    runtime.vertx().eventBus().send(runtime.services().loopLocal().address(Addresses.ROUTER_ROUTE),
        new RouteRequest(recorder.requestId(), operation, call.requestType(), params, lowerCased(canonical.headers()),
            canonical.query() == null ? Map.of() : query(request), body, admission, routed), Codecs.LOCAL);
    return Deadlines.within(runtime.vertx(), routed, runtime.config().timeouts().internalMs(),
            () -> Failure.internal(recorder.requestId()))
        .map(decision -> {
          recorder.routed(decision.matchedRule(), decision.affinity());
          exchange = new ClientExchange(runtime, response, call.dialect(), recorder, operation, admission, params,
              canonical, decision.targets(), this::ended);
          return exchange;
        });
  }

  private void onClientGone() {
    if (recorder.completed()) {
      return;
    }
    if (exchange != null) {
      exchange.clientGone();
    } else {
      ended(FailureCode.CLIENT_CLOSED.httpStatus(), gone());
    }
  }

  private static Failure gone() {
    return Failure.of(FailureCode.CLIENT_CLOSED, "Client went away");
  }

  /** Answers with {@code failure} before any upstream bytes reached the client. */
  private void fail(Failure failure) {
    if (recorder.completed()) {
      return;
    }
    boolean bodyUnread = !request.isEnded();
    boolean refuseBody = failure.code() == FailureCode.REQUEST_TOO_LARGE
        || failure.code() == FailureCode.REQUEST_TIMEOUT;
    if (bodyUnread && refuseBody) {
      response.putHeader("connection", "close");
    }
    Future<Void> written = call.dialect().error(response, failure);
    if (bodyUnread) {
      afterEarlyAnswer(written, refuseBody);
    }
    ended(call.dialect().errorStatus(failure), failure);
  }

  /**
   * We answered before reading the whole body. A body we refuse (too large, too slow) is not read: the
   * connection closes once the answer is out. Any other body is read and dropped, within the body timeout, so
   * the client sees our answer instead of a reset connection, and the connection can serve its next request.
   */
  private void afterEarlyAnswer(Future<Void> written, boolean refuseBody) {
    if (refuseBody) {
      written.onComplete(v -> request.connection().close());
      return;
    }
    long timer = runtime.vertx().setTimer(Math.max(1, runtime.config().server().bodyTimeoutMs()),
        id -> request.connection().close());
    request.handler(chunk -> { });
    request.endHandler(v -> runtime.vertx().cancelTimer(timer));
    request.exceptionHandler(e -> runtime.vertx().cancelTimer(timer));
    request.resume();
  }

  private void ended(int status, Failure failure) {
    if (recorder.complete(status, failure)) {
      if (slot != null) {
        slot.release();
      }
      if (bodyReader != null) {
        bodyReader.release();
      }
    }
  }

  private void settle(ExchangeRecord record) {
    logFailure(record);
    var bus = runtime.vertx().eventBus();
    bus.send(runtime.services().loopLocal().address(Addresses.GOVERNANCE_SETTLE), record, Codecs.LOCAL);
    runtime.services().recordReaders().accept(record);
    bus.publish(Addresses.EXCHANGE_COMPLETED, record, Codecs.LOCAL);
  }

  /**
   * A bug is a warning; an upstream failure the client got is worth a line. A refusal (overload, a bad request, a
   * missing key) is the client's to see and the request log's to keep: logged here, a refused flood would slow
   * the node that refuses it.
   */
  private static void logFailure(ExchangeRecord record) {
    FailureCode failure = record.failure();
    if (failure == FailureCode.INTERNAL) {
      LOG.log(System.Logger.Level.WARNING, "{0}: {1} ({2})", record.requestId(), failure, record.failureMessage());
    } else if (failure != null && failure.name().startsWith("UPSTREAM_")) {
      LOG.log(System.Logger.Level.INFO, "{0}: {1} {2} ({3})", record.requestId(), record.status(), failure,
          record.failureMessage());
    }
  }

  private RequestParams validated(AnthropicBody.Summary summary) {
    RequestParams params = summary.params();
    if (params.model() == null || params.model().isBlank()) {
      throw invalid("model: Field required (a string such as claude-sonnet-4-5 or openai/gpt-5)");
    }
    if (params.model().length() > MAX_MODEL_CHARS || params.model().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      // It travels into headers and logs: a control character or a huge name must stop here.
      throw invalid("model: at most " + MAX_MODEL_CHARS + " characters, no control characters");
    }
    if (!summary.hasMessages()) {
      throw invalid("messages: Field required (an array of messages)");
    }
    if (operation == Operation.MESSAGES && params.maxTokens() < 1) {
      throw invalid("max_tokens: Field required (a positive integer)");
    }
    return params;
  }

  private static Failure.FailureException invalid(String message) {
    return new Failure.FailureException(Failure.of(FailureCode.INVALID_REQUEST, message));
  }

  private static ExchangeRecord.ClientInfo clientInfo(HttpServerRequest request) {
    return new ExchangeRecord.ClientInfo(header(request, "x-claude-code-session-id"),
        header(request, "x-claude-code-agent-id"), header(request, "x-claude-code-request-class"),
        header(request, "user-agent"), header(request, "traceparent"), header(request, "tracestate"));
  }

  private static String header(HttpServerRequest request, String name) {
    String value = request.getHeader(name);
    return value == null ? "" : value;
  }

  /** Query parameters for routing rules: first value of each. */
  private static Map<String, String> query(HttpServerRequest request) {
    if (request.query() == null) {
      return Map.of();
    }
    Map<String, String> map = new HashMap<>();
    request.params().forEach(param -> map.putIfAbsent(param.getKey(), param.getValue()));
    return map;
  }

  /** Headers for routing rules: lower-case names, first value, no credentials. */
  private static Map<String, String> lowerCased(MultiMap headers) {
    Map<String, String> map = new HashMap<>(headers.size() * 2);
    headers.forEach(header -> map.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
    map.remove("x-api-key");
    map.remove("authorization");
    map.remove("cookie");
    map.remove("x-turnpike-vk");
    map.remove("x-amz-security-token");
    map.remove("x-goog-api-key");
    return map;
  }
}
