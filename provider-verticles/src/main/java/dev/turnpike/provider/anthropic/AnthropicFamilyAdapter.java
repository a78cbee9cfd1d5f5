package dev.turnpike.provider.anthropic;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.UpstreamReply;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.ServerConfig;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.provider.DialectAdapter;
import dev.turnpike.provider.Headers;
import dev.turnpike.provider.LocalTokenCount;
import dev.turnpike.provider.StreamSink;
import dev.turnpike.provider.UpstreamExchange;
import dev.turnpike.provider.UpstreamFailures;
import dev.turnpike.provider.UpstreamRequest;
import dev.turnpike.provider.auth.UpstreamAuth;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import java.util.Map;
import java.util.Set;

/**
 * Every dialect that serves Anthropic's Messages API (Anthropic, Vertex, Bedrock): the request is patched by the
 * dialect's {@link AnthropicFamilyShape}, signed or keyed by its {@link UpstreamAuth}, and the answer relayed as
 * it arrives: a stream in whole events, a whole message chunk by chunk with its usage read on the way, an error
 * as a failure the edge can fail over on.
 */
public final class AnthropicFamilyAdapter implements DialectAdapter {
  /** count_tokens failures the client should see; any other is answered with a local estimate. */
  private static final Set<FailureCode> COUNT_FAILURES_SHOWN = Set.of(FailureCode.UPSTREAM_INVALID_REQUEST,
      FailureCode.REQUEST_TOO_LARGE, FailureCode.UPSTREAM_RATE_LIMITED);
  private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

  private final Vertx vertx;
  private final HttpClient client;
  private final Timeouts timeouts;
  private final ServerConfig server;
  private final AnthropicFamilyShape shape;

  public AnthropicFamilyAdapter(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server,
                                AnthropicFamilyShape shape) {
    this.vertx = vertx;
    this.client = client;
    this.timeouts = timeouts;
    this.server = server;
    this.shape = shape;
  }

  @Override
  public void invoke(InvokeRequest request, ProviderConfig provider, UpstreamAuth auth, StreamSink sink) {
    UpstreamRequest call;
    try {
      call = shape.request(request, provider);
    } catch (Failure.FailureException e) {
      sink.fail(e.failure(), Usage.NONE);
      return;
    }
    boolean counting = request.operation() == Operation.COUNT_TOKENS;
    UpstreamExchange exchange = new UpstreamExchange(vertx, client, timeouts, sink, provider.name());
    if (counting) {
      // count_tokens is optional upstream; Claude Code is better served by an estimate than by a 5xx.
      exchange.answerFailuresWith(failure -> {
        if (COUNT_FAILURES_SHOWN.contains(failure.code())) {
          return false;
        }
        LocalTokenCount.answer(request, sink);
        return true;
      });
    }
    exchange.send(auth, call, response -> {
      if (response.statusCode() >= 300) {
        if (response.statusCode() == 401) {
          auth.rejected(call);
        }
        onErrorStatus(provider, exchange, response);
        return;
      }
      if (counting && shape.rewritesCountAnswer()) {
        relayCount(provider, response, sink, exchange);
        return;
      }
      AnthropicStreamUsage usage = new AnthropicStreamUsage(provider.name());
      AnthropicEventFramer framer = shape.framer(response, usage, server.maxEventBytes(), provider.name());
      if (framer != null) {
        relayEvents(provider, response, sink, exchange, usage, framer);
      } else {
        relayMessage(response, sink, exchange);
      }
    });
  }

  private void relayEvents(ProviderConfig provider, HttpClientResponse response, StreamSink sink,
                           UpstreamExchange exchange, AnthropicStreamUsage usage, AnthropicEventFramer framer) {
    exchange.usageSoFar(usage::usage);
    sink.head(response.statusCode(), shape.streamHeaders(response));
    response.handler(chunk -> {
      exchange.touch();
      if (exchange.done()) {
        return;
      }
      Buffer whole = framer.push(chunk);
      if (usage.oversized()) { // before the bytes: they may end with the event that was too large
        exchange.fail(UpstreamFailures.oversizedEvent(provider.name(), server.maxEventBytes()), usage.usage());
        return;
      }
      sink.data(whole, usage.usage());
      if (framer.failure() != null) { // after the bytes: the events before the failure are good
        exchange.fail(framer.failure(), usage.usage());
      }
    });
    response.endHandler(v -> {
      if (exchange.done()) {
        return;
      }
      Buffer rest = framer.end();
      if (framer.failure() != null) {
        exchange.fail(framer.failure(), usage.usage());
        return;
      }
      sink.data(rest, usage.usage());
      exchange.finish();
      if (usage.streamError() == null && !usage.stopped()) {
        sink.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + provider.name()
            + "' ended the stream before message_stop"), usage.usage());
      } else {
        sink.end(usage.usage(), usage.streamError());
      }
    });
  }

  private static void relayMessage(HttpClientResponse response, StreamSink sink, UpstreamExchange exchange) {
    MessageUsageScanner usage = new MessageUsageScanner();
    sink.head(response.statusCode(), Headers.returnable(response.headers()));
    response.handler(chunk -> {
      exchange.touch();
      usage.feed(chunk);
      sink.data(chunk, Usage.NONE);
    });
    response.endHandler(v -> {
      if (!exchange.done()) {
        exchange.finish();
        sink.end(usage.usage());
      }
    });
  }

  private void relayCount(ProviderConfig provider, HttpClientResponse response, StreamSink sink,
                          UpstreamExchange exchange) {
    exchange.readWholeBody(response, server.maxAnswerBytes(), whole -> {
      Buffer answer = shape.countAnswer(whole);
      if (answer == null) {
        exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + provider.name()
            + "' answered count_tokens with an unexpected body"), Usage.NONE);
        return;
      }
      exchange.finish();
      sink.head(200, JSON_HEADERS);
      sink.data(answer, Usage.NONE);
      sink.end(Usage.NONE);
    });
  }

  /**
   * A same-family error in Anthropic's form travels to the client unchanged (status, body, retry headers) when it
   * is final, except a 401: that one is about the operator's provider key, and passed on it would tell Claude
   * Code that the developer's own key is wrong.
   */
  private void onErrorStatus(ProviderConfig provider, UpstreamExchange exchange, HttpClientResponse response) {
    int status = response.statusCode();
    int retryAfter = UpstreamExchange.retryAfterSeconds(response);
    exchange.readErrorBody(response, errorBody -> {
      Failure failure = UpstreamFailures.forStatus(provider.name(), status, UpstreamFailures.messageOf(errorBody))
          .withRetryAfter(retryAfter);
      if (status != 401 && shape.errorBodiesAreAnthropic(response, errorBody)) {
        failure = failure.withUpstreamReply(new UpstreamReply(status, Headers.ofErrorAnswer(response.headers()),
            errorBody));
      }
      exchange.fail(failure, Usage.NONE);
    });
  }
}
