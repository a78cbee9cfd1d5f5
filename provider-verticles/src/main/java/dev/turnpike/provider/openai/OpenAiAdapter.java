package dev.turnpike.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.ServerConfig;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.provider.DialectAdapter;
import dev.turnpike.provider.LocalTokenCount;
import dev.turnpike.provider.StreamSink;
import dev.turnpike.provider.UpstreamExchange;
import dev.turnpike.provider.UpstreamFailures;
import dev.turnpike.provider.UpstreamRequest;
import dev.turnpike.provider.auth.UpstreamAuth;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Every dialect that speaks Chat Completions: OpenAI and every OpenAI-compatible server (by {@code base_url}), and
 * Azure OpenAI. Translates the Anthropic request to Chat Completions and the answer back, streaming or whole; the
 * translation itself is in the pure {@code OpenAi*Translator} classes, what differs between upstreams (where the
 * call goes, what the body may hold, how errors read) in the dialect's {@link ChatCompletionsShape}.
 */
public final class OpenAiAdapter implements DialectAdapter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BYTES_PER_TOKEN_ESTIMATE = 4;
  private static final Map<String, String> SSE_HEADERS = Map.of(
      "content-type", "text/event-stream; charset=utf-8", "cache-control", "no-cache");
  private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

  private final Vertx vertx;
  private final HttpClient client;
  private final Timeouts timeouts;
  private final ServerConfig server;
  private final ChatCompletionsShape shape;

  /** Dialect {@code openai}. */
  public OpenAiAdapter(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server) {
    this(vertx, client, timeouts, server, new OpenAiShape());
  }

  public OpenAiAdapter(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server,
                       ChatCompletionsShape shape) {
    this.vertx = vertx;
    this.client = client;
    this.timeouts = timeouts;
    this.server = server;
    this.shape = shape;
  }

  @Override
  public void invoke(InvokeRequest request, ProviderConfig provider, UpstreamAuth auth, StreamSink sink) {
    if (request.operation() == Operation.COUNT_TOKENS) {
      LocalTokenCount.answer(request, sink); // Chat Completions has no counting endpoint
      return;
    }
    JsonNode anthropicRequest;
    try {
      anthropicRequest = JSON.readTree(request.body().getBytes());
    } catch (IOException e) {
      sink.fail(Failure.of(FailureCode.INVALID_REQUEST, "Request body is not valid JSON"), Usage.NONE);
      return;
    }
    ToolNameMapper names = new ToolNameMapper();
    ObjectNode chatRequest;
    String uri;
    try {
      uri = shape.uri(request, provider);
      chatRequest = shape.adapt(OpenAiRequestTranslator.toChatCompletions(anthropicRequest,
          request.target().model(), names), request, provider);
    } catch (Failure.FailureException e) {
      sink.fail(e.failure(), Usage.NONE);
      return;
    } catch (RuntimeException e) {
      sink.fail(Failure.of(FailureCode.INVALID_REQUEST,
          "Request cannot be translated for provider '" + provider.name() + "': " + e.getMessage()), Usage.NONE);
      return;
    }
    boolean streaming = request.params().stream();
    Buffer body;
    try {
      body = Buffer.buffer(JSON.writeValueAsBytes(chatRequest));
    } catch (IOException e) {
      sink.fail(Failure.of(FailureCode.INTERNAL, "Request could not be encoded"), Usage.NONE);
      return;
    }
    UpstreamRequest call = UpstreamRequest.post(uri, UpstreamRequest.jsonHeaders(streaming), body, request.target().model());
    String clientModel = request.params().model();
    UpstreamExchange exchange = new UpstreamExchange(vertx, client, timeouts, sink, provider.name());
    exchange.send(auth, call, response -> {
      if (response.statusCode() >= 300) {
        failWithUpstreamError(request, provider, response, exchange);
      } else if (streaming) {
        // Only message_start shows this estimate (the final usage is the upstream's); a byte count is enough and
        // spares a second parse of the body.
        long estimate = Math.max(1, request.body().length() / BYTES_PER_TOKEN_ESTIMATE);
        relayStream(request, provider, response, sink, exchange,
            new OpenAiStreamTranslator(clientModel, names, estimate));
      } else {
        relayWhole(response, sink, exchange, clientModel, names);
      }
    });
  }


  private void relayStream(InvokeRequest request, ProviderConfig provider, HttpClientResponse response,
                           StreamSink sink, UpstreamExchange exchange, OpenAiStreamTranslator translator) {
    String providerName = provider.name();
    exchange.usageSoFar(translator::usageSoFar);
    sink.head(200, SSE_HEADERS);
    boolean[] finished = {false};
    SseParser parser = new SseParser(new SseParser.Listener() {
      @Override
      public void onEvent(String event, String data) {
        if (finished[0] || exchange.done()) {
          return;
        }
        if ("[DONE]".equals(data.trim())) {
          finished[0] = true;
          sink.data(translator.finish(), translator.usageSoFar());
          exchange.finish();
          sink.end(translator.usageSoFar());
          return;
        }
        JsonNode chunk;
        try {
          chunk = JSON.readTree(data);
        } catch (IOException e) {
          exchange.fail(UpstreamFailures.malformedEvent(providerName), translator.usageSoFar());
          return;
        }
        if (chunk.has("error")) {
          exchange.fail(shape.failure(request, provider, 500, Buffer.buffer(data)), translator.usageSoFar());
          return;
        }
        sink.data(translator.onChunk(chunk), translator.usageSoFar());
      }

      @Override
      public void onOversizedEvent() {
        exchange.fail(UpstreamFailures.oversizedEvent(providerName, server.maxEventBytes()), translator.usageSoFar());
      }
    }, server.maxEventBytes());
    response.handler(chunk -> {
      exchange.touch();
      if (!exchange.done()) {
        parser.feed(chunk);
      }
    });
    response.endHandler(v -> {
      parser.end();
      if (finished[0] || exchange.done()) {
        return;
      }
      if (translator.sawFinishReason()) {
        // Some compatible servers end the stream without [DONE] once the answer is complete.
        finished[0] = true;
        sink.data(translator.finish(), translator.usageSoFar());
        exchange.finish();
        sink.end(translator.usageSoFar());
      } else {
        exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + providerName
            + "' ended the stream before finishing the answer (no finish_reason)"), translator.usageSoFar());
      }
    });
  }

  private void relayWhole(HttpClientResponse response, StreamSink sink, UpstreamExchange exchange,
                          String clientModel, ToolNameMapper names) {
    exchange.readWholeBody(response, server.maxAnswerBytes(), whole -> {
      JsonNode completion;
      try {
        completion = JSON.readTree(whole.getBytes());
      } catch (IOException e) {
        exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider answered with malformed JSON"), Usage.NONE);
        return;
      }
      ObjectNode message = OpenAiResponseTranslator.toAnthropicMessage(completion, clientModel, names);
      Buffer bytes;
      try {
        bytes = Buffer.buffer(JSON.writeValueAsBytes(message));
      } catch (IOException e) {
        exchange.fail(Failure.of(FailureCode.INTERNAL, "Answer could not be encoded"), Usage.NONE);
        return;
      }
      Usage usage = OpenAiResponseTranslator.usageOf(completion.path("usage"));
      exchange.finish();
      sink.head(200, JSON_HEADERS);
      sink.data(bytes, usage);
      sink.end(usage);
    });
  }

  private void failWithUpstreamError(InvokeRequest request, ProviderConfig provider, HttpClientResponse response,
                                     UpstreamExchange exchange) {
    int status = response.statusCode();
    int retryAfter = UpstreamExchange.retryAfterSeconds(response);
    exchange.readErrorBody(response, errorBody -> {
      Failure failure = shape.failure(request, provider, status, errorBody);
      // The header wins; without one the shape may have read a delay from the upstream's words.
      exchange.fail(retryAfter > 0 ? failure.withRetryAfter(retryAfter) : failure, Usage.NONE);
    });
  }
}
