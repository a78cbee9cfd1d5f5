package dev.turnpike.provider.cohere;

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
 * Dialect {@code cohere}: Cohere's v2 chat API ({@code POST /v2/chat}, bearer key). Translates the Anthropic
 * request and the answer back, streaming or whole; the translation itself is in the pure {@code Cohere*}
 * classes, this class only wires them to the call.
 *
 * <p>{@code count_tokens} is answered locally: Cohere's {@code /v1/tokenize} counts one plain string of at most
 * 65,536 characters without the chat template, tools or images, so it could not count a Claude Code request
 * (80 KB and more) any better than the estimate, and it answers with every token id.
 */
public final class CohereAdapter implements DialectAdapter {
  static final String CHAT_PATH = "/v2/chat";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BYTES_PER_TOKEN_ESTIMATE = 4;
  private static final Map<String, String> SSE_HEADERS = Map.of(
      "content-type", "text/event-stream; charset=utf-8", "cache-control", "no-cache");
  private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

  private final Vertx vertx;
  private final HttpClient client;
  private final Timeouts timeouts;
  private final ServerConfig server;

  public CohereAdapter(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server) {
    this.vertx = vertx;
    this.client = client;
    this.timeouts = timeouts;
    this.server = server;
  }

  @Override
  public void invoke(InvokeRequest request, ProviderConfig provider, UpstreamAuth auth, StreamSink sink) {
    if (request.operation() == Operation.COUNT_TOKENS) {
      LocalTokenCount.answer(request, sink);
      return;
    }
    JsonNode anthropicRequest;
    try {
      anthropicRequest = JSON.readTree(request.body().getBytes());
    } catch (IOException e) {
      sink.fail(Failure.of(FailureCode.INVALID_REQUEST, "Request body is not valid JSON"), Usage.NONE);
      return;
    }
    CohereToolNames names = new CohereToolNames();
    Buffer body;
    try {
      ObjectNode chat = CohereRequestTranslator.toCohereChat(anthropicRequest, request.target().model(), names);
      body = Buffer.buffer(JSON.writeValueAsBytes(chat));
    } catch (IOException | RuntimeException e) {
      sink.fail(Failure.of(FailureCode.INVALID_REQUEST,
          "Request cannot be translated for provider '" + provider.name() + "': " + e.getMessage()), Usage.NONE);
      return;
    }
    boolean streaming = request.params().stream();
    UpstreamRequest call = UpstreamRequest.post(provider.baseUrl() + CHAT_PATH, UpstreamRequest.jsonHeaders(streaming), body,
        request.target().model());
    String clientModel = request.params().model();
    UpstreamExchange exchange = new UpstreamExchange(vertx, client, timeouts, sink, provider.name());
    exchange.send(auth, call, response -> {
      if (response.statusCode() >= 300) {
        failWithUpstreamError(provider.name(), call, auth, response, exchange);
      } else if (streaming) {
        // Only message_start shows this estimate (the final usage is Cohere's); a byte count is enough.
        long estimate = Math.max(1, request.body().length() / BYTES_PER_TOKEN_ESTIMATE);
        relayStream(provider.name(), response, sink, exchange, new CohereStreamTranslator(clientModel, names, estimate));
      } else {
        relayWhole(provider.name(), response, sink, exchange, clientModel, names);
      }
    });
  }


  private void relayStream(String providerName, HttpClientResponse response, StreamSink sink,
                           UpstreamExchange exchange, CohereStreamTranslator translator) {
    exchange.usageSoFar(translator::usageSoFar);
    sink.head(200, SSE_HEADERS);
    SseParser parser = new SseParser(new SseParser.Listener() {
      @Override
      public void onEvent(String event, String data) {
        if (translator.ended() || exchange.done() || "[DONE]".equals(data.trim())) {
          return; // [DONE] may follow message-end; alone it finishes nothing (the end handler says so)
        }
        JsonNode json;
        try {
          json = JSON.readTree(data);
        } catch (IOException e) {
          exchange.fail(UpstreamFailures.malformedEvent(providerName), translator.usageSoFar());
          return;
        }
        Buffer events;
        try {
          events = translator.onEvent(json);
        } catch (IllegalStateException e) {
          exchange.fail(malformed(providerName, e.getMessage()), translator.usageSoFar());
          return;
        }
        sink.data(events, translator.usageSoFar());
        if (translator.ended()) {
          Failure failure = CohereErrorMapper.forFinishReason(providerName, translator.finishReason(),
              translator.error());
          if (failure != null) {
            exchange.fail(failure, translator.usageSoFar());
          } else {
            exchange.finish();
            sink.end(translator.usageSoFar()); // the estimate stands in if message-end carried no usage
          }
        }
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
      if (!exchange.done()) {
        exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + providerName
            + "' ended the stream before finishing the answer (no message-end)"), translator.usageSoFar());
      }
    });
  }

  private void relayWhole(String providerName, HttpClientResponse response, StreamSink sink,
                          UpstreamExchange exchange, String clientModel, CohereToolNames names) {
    exchange.readWholeBody(response, server.maxAnswerBytes(), whole -> {
      JsonNode answer;
      try {
        answer = JSON.readTree(whole.getBytes());
      } catch (IOException e) {
        answer = null;
      }
      if (answer == null || !answer.isObject()) {
        exchange.fail(malformed(providerName, "malformed JSON"), Usage.NONE);
        return;
      }
      Usage usage = CohereResponseTranslator.usageOf(answer.path("usage"));
      Failure failure = CohereErrorMapper.forFinishReason(providerName, answer.path("finish_reason").asText(null),
          null);
      if (failure != null) {
        exchange.fail(failure, usage);
        return;
      }
      Buffer bytes;
      try {
        bytes = Buffer.buffer(JSON.writeValueAsBytes(
            CohereResponseTranslator.toAnthropicMessage(answer, clientModel, names)));
      } catch (IOException e) {
        exchange.fail(Failure.of(FailureCode.INTERNAL, "Answer could not be encoded"), usage);
        return;
      }
      exchange.finish();
      sink.head(200, JSON_HEADERS);
      sink.data(bytes, usage);
      sink.end(usage);
    });
  }

  private static void failWithUpstreamError(String providerName, UpstreamRequest call, UpstreamAuth auth,
                                            HttpClientResponse response, UpstreamExchange exchange) {
    int status = response.statusCode();
    if (status == 401) {
      auth.rejected(call);
    }
    int retryAfter = UpstreamExchange.retryAfterSeconds(response);
    exchange.readErrorBody(response, errorBody -> exchange.fail(
        CohereErrorMapper.forStatus(providerName, status, errorBody).withRetryAfter(retryAfter), Usage.NONE));
  }

  private static Failure malformed(String providerName, String what) {
    return Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + providerName + "' sent " + what);
  }
}
