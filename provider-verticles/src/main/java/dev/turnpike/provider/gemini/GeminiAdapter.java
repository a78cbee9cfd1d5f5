package dev.turnpike.provider.gemini;

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
import dev.turnpike.provider.openai.ToolNameMapper;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Gemini models, on Google AI Studio (dialect {@code gemini}) or Vertex AI ({@code vertex} with a
 * {@code gemini-*} model), by {@link GeminiEndpoint}: translates the Anthropic request to
 * {@code generateContent} and the answer back, streaming or whole, and answers {@code count_tokens} with
 * Gemini's {@code countTokens}. The translation is in the pure {@code Gemini*Translator} classes; this class
 * only wires them to the call.
 */
public final class GeminiAdapter implements DialectAdapter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BYTES_PER_TOKEN_ESTIMATE = 4;
  /** count_tokens failures the client should see; any other is answered with a local estimate. */
  private static final Set<FailureCode> COUNT_FAILURES_SHOWN = Set.of(FailureCode.UPSTREAM_INVALID_REQUEST,
      FailureCode.REQUEST_TOO_LARGE, FailureCode.UPSTREAM_RATE_LIMITED);
  private static final Map<String, String> SSE_HEADERS = Map.of(
      "content-type", "text/event-stream; charset=utf-8", "cache-control", "no-cache");
  private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

  private final Vertx vertx;
  private final HttpClient client;
  private final Timeouts timeouts;
  private final ServerConfig server;
  private final GeminiEndpoint endpoint;

  public GeminiAdapter(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server,
                       GeminiEndpoint endpoint) {
    this.vertx = vertx;
    this.client = client;
    this.timeouts = timeouts;
    this.server = server;
    this.endpoint = endpoint;
  }

  @Override
  public void invoke(InvokeRequest request, ProviderConfig provider, UpstreamAuth auth, StreamSink sink) {
    String model = request.target().model();
    ToolNameMapper names = GeminiRequestTranslator.toolNames();
    ObjectNode generateContent;
    try {
      JsonNode anthropicRequest = JSON.readTree(request.body().getBytes());
      generateContent = GeminiRequestTranslator.toGenerateContent(anthropicRequest, model,
          endpoint.sendsCallIds(), names);
    } catch (IOException e) {
      sink.fail(Failure.of(FailureCode.INVALID_REQUEST, "Request body is not valid JSON"), Usage.NONE);
      return;
    } catch (RuntimeException e) {
      sink.fail(Failure.of(FailureCode.INVALID_REQUEST,
          "Request cannot be translated for provider '" + provider.name() + "': " + e.getMessage()), Usage.NONE);
      return;
    }
    boolean counting = request.operation() == Operation.COUNT_TOKENS;
    boolean streaming = !counting && request.params().stream();
    UpstreamRequest call;
    try {
      ObjectNode body = counting ? endpoint.countTokensBody(generateContent, model) : generateContent;
      String uri = counting ? endpoint.countTokensUri(provider, model)
          : endpoint.generateUri(provider, model, streaming);
      call = UpstreamRequest.post(uri, UpstreamRequest.jsonHeaders(streaming), Buffer.buffer(JSON.writeValueAsBytes(body)),
          model);
    } catch (Failure.FailureException e) {
      sink.fail(e.failure(), Usage.NONE);
      return;
    } catch (IOException e) {
      sink.fail(Failure.of(FailureCode.INTERNAL, "Request could not be encoded"), Usage.NONE);
      return;
    }
    UpstreamExchange exchange = new UpstreamExchange(vertx, client, timeouts, sink, provider.name());
    if (counting) {
      // Claude Code is better served by an estimate than by a 5xx (ARCHITECTURE.md §4).
      exchange.answerFailuresWith(failure -> {
        if (COUNT_FAILURES_SHOWN.contains(failure.code())) {
          return false;
        }
        LocalTokenCount.answer(request, sink);
        return true;
      });
    }
    String clientModel = request.params().model();
    exchange.send(auth, call, response -> {
      if (response.statusCode() >= 300) {
        if (response.statusCode() == 401) {
          auth.rejected(call);
        }
        failWithUpstreamError(provider, response, exchange);
      } else if (counting) {
        relayCount(provider, response, sink, exchange);
      } else if (streaming) {
        long estimate = Math.max(1, request.body().length() / BYTES_PER_TOKEN_ESTIMATE);
        relayStream(provider.name(), response, sink, exchange, new GeminiStreamTranslator(clientModel, names,
            estimate));
      } else {
        relayWhole(provider.name(), response, sink, exchange, clientModel, names);
      }
    });
  }


  private void relayStream(String providerName, HttpClientResponse response, StreamSink sink,
                           UpstreamExchange exchange, GeminiStreamTranslator translator) {
    exchange.usageSoFar(translator::usageSoFar);
    sink.head(200, SSE_HEADERS);
    SseParser parser = new SseParser(new SseParser.Listener() {
      @Override
      public void onEvent(String event, String data) {
        if (exchange.done()) {
          return;
        }
        JsonNode chunk;
        try {
          chunk = JSON.readTree(data);
        } catch (IOException e) {
          chunk = null;
        }
        if (chunk == null || !chunk.isObject()) {
          exchange.fail(UpstreamFailures.malformedEvent(providerName), translator.usageSoFar());
        } else if (chunk.has("error")) {
          exchange.fail(GeminiErrorMapper.toFailure(providerName, 0, Buffer.buffer(data), 0),
              translator.usageSoFar());
        } else {
          sink.data(translator.onChunk(chunk), translator.usageSoFar());
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
      if (exchange.done()) {
        return;
      }
      parser.end();
      if (exchange.done()) {
        return; // the last event was an error
      }
      if (translator.sawFinish()) {
        sink.data(translator.finish(), translator.usageSoFar());
        exchange.finish();
        sink.end(translator.usageSoFar());
      } else {
        exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + providerName
            + "' ended the stream before finishing the answer (no finishReason)"), translator.usageSoFar());
      }
    });
  }

  private void relayWhole(String providerName, HttpClientResponse response, StreamSink sink,
                          UpstreamExchange exchange, String clientModel, ToolNameMapper names) {
    exchange.readWholeBody(response, server.maxAnswerBytes(), whole -> {
      JsonNode answer = parse(whole);
      if (answer == null) {
        exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + providerName
            + "' answered with malformed JSON"), Usage.NONE);
        return;
      }
      ObjectNode message = GeminiResponseTranslator.toAnthropicMessage(answer, clientModel, names);
      Usage usage = GeminiResponseTranslator.usageOf(answer.path("usageMetadata"));
      exchange.finish();
      sink.head(200, JSON_HEADERS);
      sink.data(Buffer.buffer(message.toString()), usage);
      sink.end(usage);
    });
  }

  private void relayCount(ProviderConfig provider, HttpClientResponse response, StreamSink sink,
                          UpstreamExchange exchange) {
    exchange.readWholeBody(response, server.maxAnswerBytes(), whole -> {
      JsonNode answer = parse(whole);
      if (answer == null || !answer.path("totalTokens").canConvertToLong()) {
        exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + provider.name()
            + "' answered countTokens with an unexpected body"), Usage.NONE);
        return;
      }
      exchange.finish();
      sink.head(200, JSON_HEADERS);
      sink.data(Buffer.buffer("{\"input_tokens\":" + answer.path("totalTokens").asLong() + "}"), Usage.NONE);
      sink.end(Usage.NONE);
    });
  }

  private static JsonNode parse(Buffer body) {
    try {
      JsonNode node = JSON.readTree(body.getBytes());
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void failWithUpstreamError(ProviderConfig provider, HttpClientResponse response,
                                            UpstreamExchange exchange) {
    int status = response.statusCode();
    int retryAfter = UpstreamExchange.retryAfterSeconds(response);
    exchange.readErrorBody(response, body -> exchange.fail(
        GeminiErrorMapper.toFailure(provider.name(), status, body, retryAfter), Usage.NONE));
  }
}
