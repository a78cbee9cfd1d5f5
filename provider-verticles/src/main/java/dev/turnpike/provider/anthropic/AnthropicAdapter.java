package dev.turnpike.provider.anthropic;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.UpstreamReply;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.anthropic.AnthropicBody;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.ServerConfig;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.provider.DialectAdapter;
import dev.turnpike.provider.Headers;
import dev.turnpike.provider.KeyPicker;
import dev.turnpike.provider.LocalTokenCount;
import dev.turnpike.provider.StreamSink;
import dev.turnpike.provider.UpstreamExchange;
import dev.turnpike.provider.UpstreamFailures;
import dev.turnpike.provider.sse.SseEventFramer;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Set;

/**
 * Dialect {@code anthropic}: byte-preserving passthrough. Only the {@code model} value changes and the
 * provider's key replaces the client's; every other field, the {@code anthropic-*} headers, the query
 * ({@code ?beta=true}) and the answer's bytes pass unchanged. An event stream is relayed in whole events; a
 * whole message is relayed as it arrives, its usage read on the way without holding it.
 */
public final class AnthropicAdapter implements DialectAdapter {
  /** count_tokens failures the client should see; any other is answered with a local estimate. */
  private static final Set<FailureCode> COUNT_FAILURES_SHOWN = Set.of(FailureCode.UPSTREAM_INVALID_REQUEST,
      FailureCode.REQUEST_TOO_LARGE, FailureCode.UPSTREAM_RATE_LIMITED);

  private final Vertx vertx;
  private final HttpClient client;
  private final Timeouts timeouts;
  private final ServerConfig server;

  public AnthropicAdapter(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server) {
    this.vertx = vertx;
    this.client = client;
    this.timeouts = timeouts;
    this.server = server;
  }

  @Override
  public void invoke(InvokeRequest request, ProviderConfig provider, StreamSink sink) {
    String key = KeyPicker.pick(provider, request.target().model());
    if (key == null && !provider.keys().isEmpty()) {
      sink.fail(KeyPicker.noKeyFor(provider, request.target().model()), Usage.NONE);
      return;
    }
    boolean counting = request.operation() == Operation.COUNT_TOKENS;
    String path = counting ? "/v1/messages/count_tokens" : "/v1/messages";
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(provider.baseUrl() + path + (request.query() == null ? "" : "?" + request.query()))
        .setHeaders(upstreamHeaders(request.clientHeaders(), key));
    Buffer body = AnthropicBody.replaceModel(request.body(), request.target().model());
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
    exchange.send(options, body, response -> {
      if (response.statusCode() >= 300) {
        onErrorStatus(provider, exchange, response);
      } else if (isEventStream(response)) {
        relayEvents(provider, response, sink, exchange);
      } else {
        relayMessage(response, sink, exchange);
      }
    });
  }

  private static MultiMap upstreamHeaders(MultiMap clientHeaders, String key) {
    MultiMap headers = Headers.forwardable(clientHeaders);
    headers.set("content-type", "application/json");
    if (!headers.contains("anthropic-version")) {
      headers.set("anthropic-version", "2023-06-01");
    }
    if (key != null) {
      headers.set("x-api-key", key);
    }
    return headers;
  }

  private static boolean isEventStream(HttpClientResponse response) {
    String contentType = response.getHeader("content-type");
    return contentType != null && contentType.startsWith("text/event-stream");
  }

  private void relayEvents(ProviderConfig provider, HttpClientResponse response, StreamSink sink,
                           UpstreamExchange exchange) {
    AnthropicStreamUsage usage = new AnthropicStreamUsage(provider.name());
    SseEventFramer framer = new SseEventFramer(new SseParser(usage, server.maxEventBytes()));
    exchange.usageSoFar(usage::usage);
    sink.head(response.statusCode(), Headers.returnable(response.headers()));
    response.handler(chunk -> {
      exchange.touch();
      Buffer whole = framer.push(chunk);
      if (usage.oversized()) {
        exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + provider.name()
            + "' sent an event larger than " + server.maxEventBytes() + " bytes (server.max_event_bytes)"),
            usage.usage());
        return;
      }
      sink.data(whole, usage.usage());
    });
    response.endHandler(v -> {
      if (exchange.done()) {
        return;
      }
      sink.data(framer.end(), usage.usage());
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

  /**
   * A same-family error travels to the client unchanged (status, body, retry headers) when it is final, except a
   * 401: that one is about the operator's provider key, and passed on it would tell Claude Code that the
   * developer's own key is wrong.
   */
  private static void onErrorStatus(ProviderConfig provider, UpstreamExchange exchange, HttpClientResponse response) {
    int status = response.statusCode();
    int retryAfter = UpstreamExchange.retryAfterSeconds(response);
    exchange.readErrorBody(response, errorBody -> {
      Failure failure = UpstreamFailures.forStatus(provider.name(), status, UpstreamFailures.messageOf(errorBody))
          .withRetryAfter(retryAfter);
      if (status != 401) {
        failure = failure.withUpstreamReply(new UpstreamReply(status, Headers.ofErrorAnswer(response.headers()),
            errorBody));
      }
      exchange.fail(failure, Usage.NONE);
    });
  }
}
