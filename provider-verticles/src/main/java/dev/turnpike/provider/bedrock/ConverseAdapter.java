package dev.turnpike.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.anthropic.AnthropicErrors;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.ServerConfig;
import dev.turnpike.contract.config.Timeouts;
import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import dev.turnpike.contract.eventstream.EventStreamDecoder;
import dev.turnpike.contract.eventstream.EventStreamException;
import dev.turnpike.contract.eventstream.EventStreamMessage;
import dev.turnpike.provider.DialectAdapter;
import dev.turnpike.provider.LocalTokenCount;
import dev.turnpike.provider.StreamSink;
import dev.turnpike.provider.UpstreamExchange;
import dev.turnpike.provider.UpstreamFailures;
import dev.turnpike.provider.UpstreamRequest;
import dev.turnpike.provider.auth.UpstreamAuth;
import dev.turnpike.provider.bedrock.ConverseStreamToAnthropic.ConverseStreamException;
import dev.turnpike.provider.openai.ToolNameMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Bedrock's Converse API for the models that do not take Anthropic's own body ({@link BedrockApi}):
 * {@code /model/{id}/converse}, {@code /converse-stream} (an AWS event stream of ConverseStream events) and
 * {@code /count-tokens} with a Converse input. The translation is in {@link AnthropicToConverse},
 * {@link ConverseToAnthropic} and {@link ConverseStreamToAnthropic}; this class wires them to the call.
 */
final class ConverseAdapter implements DialectAdapter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  private static final int BYTES_PER_TOKEN_ESTIMATE = 4;
  /**
   * count_tokens failures the client should see; any other is answered with a local estimate. A 400 is among the
   * others here: CountTokens refuses most non-Anthropic models and every cross-region profile ("The provided model
   * doesn't support counting tokens"), and a request Converse itself would refuse fails on the real call anyway.
   */
  private static final Set<FailureCode> COUNT_FAILURES_SHOWN = Set.of(FailureCode.REQUEST_TOO_LARGE,
      FailureCode.UPSTREAM_RATE_LIMITED);
  private static final Map<String, String> SSE_HEADERS = Map.of(
      "content-type", "text/event-stream; charset=utf-8", "cache-control", "no-cache");
  private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

  private final Vertx vertx;
  private final HttpClient client;
  private final Timeouts timeouts;
  private final ServerConfig server;

  ConverseAdapter(Vertx vertx, HttpClient client, Timeouts timeouts, ServerConfig server) {
    this.vertx = vertx;
    this.client = client;
    this.timeouts = timeouts;
    this.server = server;
  }

  @Override
  public void invoke(InvokeRequest request, ProviderConfig provider, UpstreamAuth auth, StreamSink sink) {
    String model = request.target().model();
    ToolNameMapper names = new ToolNameMapper();
    String base;
    ObjectNode converse;
    try {
      base = BedrockShape.modelUrl(provider, model);
      converse = AnthropicToConverse.translate(JSON.readTree(request.body().getBytes()), ConverseFeatures.of(model),
          names, BedrockShape.betas(request.clientHeaders()));
    } catch (Failure.FailureException e) {
      sink.fail(e.failure(), Usage.NONE);
      return;
    } catch (IOException e) {
      sink.fail(Failure.of(FailureCode.INVALID_REQUEST, "Request body is not valid JSON"), Usage.NONE);
      return;
    } catch (IllegalArgumentException e) {
      sink.fail(Failure.of(FailureCode.INVALID_REQUEST,
          "Request cannot be translated for provider '" + provider.name() + "': " + e.getMessage()), Usage.NONE);
      return;
    }
    UpstreamExchange exchange = new UpstreamExchange(vertx, client, timeouts, sink, provider.name());
    if (request.operation() == Operation.COUNT_TOKENS) {
      count(request, provider, auth, sink, exchange, base, converse);
      return;
    }
    boolean streaming = request.params().stream();
    UpstreamRequest call = UpstreamRequest.post(base + (streaming ? "/converse-stream" : "/converse"),
        headers(streaming ? EVENT_STREAM : "application/json"), encode(converse), model);
    String clientModel = request.params().model();
    exchange.send(auth, call, response -> {
      if (response.statusCode() >= 300) {
        onErrorStatus(provider, auth, call, exchange, response);
      } else if (streaming) {
        // Only message_start shows this estimate (the final usage is Bedrock's); a byte count is enough.
        long estimate = Math.max(1, request.body().length() / BYTES_PER_TOKEN_ESTIMATE);
        relayStream(provider.name(), response, sink, exchange, new ConverseStreamToAnthropic(clientModel, names,
            ConverseToAnthropic.newMessageId(), estimate));
      } else {
        relayWhole(provider.name(), response, sink, exchange, clientModel, names);
      }
    });
  }

  private void count(InvokeRequest request, ProviderConfig provider, UpstreamAuth auth, StreamSink sink,
                     UpstreamExchange exchange, String base, ObjectNode converse) {
    exchange.answerFailuresWith(failure -> {
      if (COUNT_FAILURES_SHOWN.contains(failure.code())) {
        return false;
      }
      LocalTokenCount.answer(request, sink);
      return true;
    });
    UpstreamRequest call = UpstreamRequest.post(base + "/count-tokens", headers("application/json"),
        encode(AnthropicToConverse.countTokensBody(converse)), request.target().model());
    exchange.send(auth, call, response -> {
      if (response.statusCode() >= 300) {
        onErrorStatus(provider, auth, call, exchange, response);
        return;
      }
      exchange.readWholeBody(response, server.maxAnswerBytes(), whole -> {
        JsonNode tokens = parse(whole).path("inputTokens");
        if (!tokens.canConvertToLong() || !tokens.isIntegralNumber()) {
          exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + provider.name()
              + "' answered count_tokens with an unexpected body"), Usage.NONE);
          return;
        }
        exchange.finish();
        sink.head(200, JSON_HEADERS);
        sink.data(Buffer.buffer("{\"input_tokens\":" + tokens.asLong() + "}"), Usage.NONE);
        sink.end(Usage.NONE);
      });
    });
  }

  private void relayStream(String providerName, HttpClientResponse response, StreamSink sink,
                           UpstreamExchange exchange, ConverseStreamToAnthropic translator) {
    String contentType = response.getHeader("content-type");
    if (contentType == null || !contentType.startsWith(EVENT_STREAM)) {
      exchange.readErrorBody(response, body -> exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '"
          + providerName + "' answered converse-stream with " + contentType + ", not an event stream"), Usage.NONE));
      return;
    }
    exchange.usageSoFar(translator::usageSoFar);
    // A message's payload is one event's JSON; the largest event allowed plus its headers.
    EventStreamDecoder decoder = new EventStreamDecoder(server.maxEventBytes() + 1024);
    sink.head(200, SSE_HEADERS);
    response.handler(chunk -> {
      exchange.touch();
      if (exchange.done()) {
        return;
      }
      try {
        for (EventStreamMessage message : decoder.push(chunk)) {
          if (!relayMessage(providerName, message, sink, exchange, translator)) {
            return;
          }
        }
      } catch (EventStreamException e) {
        exchange.fail(broken(providerName, e.getMessage()), translator.usageSoFar());
      } catch (ConverseStreamException e) {
        exchange.fail(broken(providerName, e.getMessage()), translator.usageSoFar());
      }
    });
    response.endHandler(v -> {
      if (exchange.done()) {
        return;
      }
      if (decoder.partial()) {
        exchange.fail(broken(providerName, "the stream ended inside a message"), translator.usageSoFar());
        return;
      }
      sink.data(translator.finish(), translator.usageSoFar());
      if (!translator.finished()) {
        exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + providerName
            + "' ended the stream before messageStop"), translator.usageSoFar());
        return;
      }
      exchange.finish();
      sink.end(translator.usageSoFar());
    });
  }

  /** Relays one event-stream message; false when it ended the call. */
  private static boolean relayMessage(String providerName, EventStreamMessage message, StreamSink sink,
                                      UpstreamExchange exchange, ConverseStreamToAnthropic translator) {
    String messageType = message.headers().get(BedrockStreamEvents.MESSAGE_TYPE);
    if ("exception".equals(messageType) || "error".equals(messageType)) {
      String type = message.headers().getOrDefault(BedrockStreamEvents.EXCEPTION_TYPE,
          message.headers().get(":error-code"));
      Failure failure = BedrockErrors.inStream(providerName, type, parse(message.payload()).path("message")
          .asText(message.headers().getOrDefault(":error-message", "")));
      if (!translator.started()) {
        exchange.fail(failure, translator.usageSoFar()); // nothing passed yet: another target may serve it
        return false;
      }
      // Mid-answer, as the Anthropic API itself would say it: an error event, and the stream is over.
      exchange.finish();
      sink.data(AnthropicErrors.sseEvent(failure), translator.usageSoFar());
      sink.end(translator.usageSoFar(), failure);
      return false;
    }
    String eventType = message.headers().get(BedrockStreamEvents.EVENT_TYPE);
    if (!"event".equals(messageType) || eventType == null) {
      return true;
    }
    JsonNode payload = parse(message.payload());
    if (!payload.isObject()) {
      throw new ConverseStreamException("a " + eventType + " event held no JSON object");
    }
    sink.data(translator.onEvent(eventType, payload), translator.usageSoFar());
    if (translator.finished()) {
      exchange.finish();
      sink.end(translator.usageSoFar());
      return false;
    }
    return true;
  }

  private void relayWhole(String providerName, HttpClientResponse response, StreamSink sink,
                          UpstreamExchange exchange, String clientModel, ToolNameMapper names) {
    exchange.readWholeBody(response, server.maxAnswerBytes(), whole -> {
      ObjectNode message;
      JsonNode converse = parse(whole);
      try {
        message = ConverseToAnthropic.message(converse, clientModel, names, ConverseToAnthropic.newMessageId());
      } catch (IllegalArgumentException e) {
        exchange.fail(Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + providerName
            + "' answered converse with an unexpected body: " + e.getMessage()), Usage.NONE);
        return;
      }
      Usage usage = ConverseToAnthropic.usageOf(converse.path("usage"));
      exchange.finish();
      sink.head(200, JSON_HEADERS);
      sink.data(encode(message), usage);
      sink.end(usage);
    });
  }

  /** Bedrock's errors are {@code {"message": ...}} with the exception in {@code x-amzn-errortype}. */
  private static void onErrorStatus(ProviderConfig provider, UpstreamAuth auth, UpstreamRequest call,
                                    UpstreamExchange exchange, HttpClientResponse response) {
    int status = response.statusCode();
    if (status == 401) {
      auth.rejected(call);
    }
    int retryAfter = UpstreamExchange.retryAfterSeconds(response);
    String errorType = response.getHeader("x-amzn-errortype");
    exchange.readErrorBody(response, body -> exchange.fail(BedrockErrors.forAnswer(provider.name(), status,
        errorType, UpstreamFailures.messageOf(body)).withRetryAfter(retryAfter), Usage.NONE));
  }

  private static MultiMap headers(String accept) {
    return MultiMap.caseInsensitiveMultiMap().set("content-type", "application/json").set("accept", accept);
  }

  private static Failure broken(String providerName, String why) {
    return Failure.of(FailureCode.UPSTREAM_ERROR, "Provider '" + providerName + "' sent a broken event stream: "
        + why);
  }

  /** The JSON in {@code bytes}, or a missing node when it is none (the caller says what it expected). */
  private static JsonNode parse(Buffer bytes) {
    try {
      JsonNode node = JSON.readTree(bytes.getBytes());
      return node == null ? JSON.missingNode() : node;
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static Buffer encode(JsonNode node) {
    try {
      return Buffer.buffer(JSON.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree could not be written", e); // plain nodes always serialise
    }
  }
}
