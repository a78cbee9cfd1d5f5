package dev.turnpike.provider.anthropic;

import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.anthropic.AnthropicBody;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.provider.DialectAdapter;
import dev.turnpike.provider.Headers;
import dev.turnpike.provider.KeyPicker;
import dev.turnpike.provider.LocalTokenCount;
import dev.turnpike.provider.StreamSink;
import dev.turnpike.provider.UpstreamExchange;
import dev.turnpike.provider.UpstreamFailures;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Dialect {@code anthropic}: byte-preserving passthrough. Only the {@code model} value changes and the
 * provider's key replaces the client's; every other field, the {@code anthropic-*} headers, the query
 * ({@code ?beta=true}) and the answer's bytes pass unchanged.
 */
public final class AnthropicAdapter implements DialectAdapter {

  private final Vertx vertx;
  private final HttpClient client;
  private final Timeouts timeouts;

  public AnthropicAdapter(Vertx vertx, HttpClient client, Timeouts timeouts) {
    this.vertx = vertx;
    this.client = client;
    this.timeouts = timeouts;
  }

  @Override
  public void invoke(InvokeRequest request, ProviderConfig provider, StreamSink sink) {
    boolean counting = request.operation() == Operation.COUNT_TOKENS;
    String path = counting ? "/v1/messages/count_tokens" : "/v1/messages";
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(provider.baseUrl() + path + (request.query() == null ? "" : "?" + request.query()))
        .setHeaders(upstreamHeaders(request.clientHeaders(), provider));
    Buffer body = AnthropicBody.replaceModel(request.body(), request.target().model());
    UpstreamExchange exchange = new UpstreamExchange(vertx, client, timeouts, sink, provider.name());
    exchange.send(options, body, response -> {
      if (response.statusCode() >= 300) {
        onErrorStatus(request, provider, sink, exchange, response, counting);
      } else {
        relay(response, sink, exchange);
      }
    });
  }

  private static MultiMap upstreamHeaders(MultiMap clientHeaders, ProviderConfig provider) {
    MultiMap headers = Headers.forwardable(clientHeaders);
    headers.set("content-type", "application/json");
    if (!headers.contains("anthropic-version")) {
      headers.set("anthropic-version", "2023-06-01");
    }
    String key = KeyPicker.pick(provider);
    if (key != null) {
      headers.set("x-api-key", key);
    }
    return headers;
  }

  private static void relay(HttpClientResponse response, StreamSink sink, UpstreamExchange exchange) {
    String contentType = response.getHeader("content-type");
    boolean streaming = contentType != null && contentType.startsWith("text/event-stream");
    AnthropicUsage usage = new AnthropicUsage();
    Buffer whole = streaming ? null : Buffer.buffer();
    sink.head(response.statusCode(), Headers.returnable(response.headers()));
    response.handler(chunk -> {
      exchange.touch();
      if (streaming) {
        usage.feedStream(chunk);
      } else {
        whole.appendBuffer(chunk);
      }
      sink.data(chunk);
    });
    response.endHandler(v -> {
      if (streaming) {
        usage.endStream();
      } else {
        usage.readMessage(whole);
      }
      exchange.finish();
      sink.end(usage.usage());
    });
  }

  private void onErrorStatus(InvokeRequest request, ProviderConfig provider, StreamSink sink,
                             UpstreamExchange exchange, HttpClientResponse response, boolean counting) {
    int status = response.statusCode();
    exchange.readErrorBody(response, errorBody -> {
      if (counting && status != 400 && status != 401 && status != 403 && status != 429) {
        // count_tokens is optional upstream; Claude Code is better served by an estimate than by an error.
        LocalTokenCount.answer(request, sink);
      } else {
        sink.fail(UpstreamFailures.forStatus(provider.name(), status, UpstreamFailures.messageOf(errorBody))
            .withRetryAfter(UpstreamExchange.retryAfterSeconds(response)), Usage.NONE);
      }
    });
  }
}
