package dev.turnpike.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.anthropic.TopLevelFields;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.UpstreamRequest;
import dev.turnpike.provider.anthropic.AnthropicEventFramer;
import dev.turnpike.provider.anthropic.AnthropicFamilyShape;
import dev.turnpike.provider.auth.SigV4Signer;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Dialect {@code bedrock}: Anthropic models through Amazon Bedrock's InvokeModel API. The model goes into the URL,
 * {@code model} and {@code stream} leave the body, {@code anthropic_version} becomes Bedrock's, and the
 * {@code anthropic-beta} header becomes the body's {@code anthropic_beta}; every other byte is the client's.
 * Streams arrive as AWS event-stream {@code chunk}s and leave as Anthropic SSE; counting goes to CountTokens.
 */
public final class BedrockShape implements AnthropicFamilyShape {
  static final String ANTHROPIC_VERSION = "bedrock-2023-05-31";
  private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  private static final int MAX_MODEL_CHARS = 256;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> SSE_HEADERS = Map.of(
      "content-type", "text/event-stream; charset=utf-8", "cache-control", "no-cache");

  @Override
  public UpstreamRequest request(InvokeRequest request, ProviderConfig provider) {
    String model = request.target().model();
    if (model == null || model.isEmpty() || model.length() > MAX_MODEL_CHARS
        || model.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw new Failure.FailureException(Failure.of(FailureCode.INVALID_REQUEST,
          "The model id cannot be a Bedrock model id (1 to " + MAX_MODEL_CHARS + " printable characters)"));
    }
    Map<String, String> set = new LinkedHashMap<>();
    set.put("anthropic_version", TopLevelFields.quoted(ANTHROPIC_VERSION));
    String betas = betaArray(request.clientHeaders());
    if (betas != null) {
      set.put("anthropic_beta", betas);
    }
    Buffer invokeBody = TopLevelFields.patch(request.body(), set, Set.of("model", "stream"));
    String base = provider.baseUrl() + "/model/" + SigV4Signer.encodePathSegment(model);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set("content-type", "application/json");
    if (request.operation() == Operation.COUNT_TOKENS) {
      // CountTokens takes the InvokeModel body it would count, as a blob; that body needs max_tokens.
      if (TopLevelFields.raw(invokeBody, "max_tokens") == null) {
        invokeBody = TopLevelFields.patch(invokeBody, Map.of("max_tokens", "1"), Set.of());
      }
      Buffer countBody = Buffer.buffer("{\"input\":{\"invokeModel\":{\"body\":\""
          + Base64.getEncoder().encodeToString(invokeBody.getBytes()) + "\"}}}");
      headers.set("accept", "application/json");
      return UpstreamRequest.post(base + "/count-tokens", headers, countBody, model);
    }
    boolean stream = request.params().stream();
    headers.set("accept", stream ? EVENT_STREAM : "application/json");
    return UpstreamRequest.post(base + (stream ? "/invoke-with-response-stream" : "/invoke"), headers, invokeBody,
        model);
  }

  /** The client's {@code anthropic-beta} values as a JSON array, or null when it sent none. */
  static String betaArray(MultiMap clientHeaders) {
    Set<String> betas = new LinkedHashSet<>();
    for (String value : clientHeaders.getAll("anthropic-beta")) {
      for (String beta : value.split(",")) {
        if (!beta.isBlank()) {
          betas.add(beta.trim());
        }
      }
    }
    if (betas.isEmpty()) {
      return null;
    }
    StringBuilder array = new StringBuilder("[");
    for (String beta : betas) {
      array.append(array.length() == 1 ? "" : ",").append(TopLevelFields.quoted(beta));
    }
    return array.append(']').toString();
  }

  @Override
  public boolean rewritesCountAnswer() {
    return true;
  }

  /** CountTokens answers {@code {"inputTokens": N}}. */
  @Override
  public Buffer countAnswer(Buffer upstreamAnswer) {
    try {
      JsonNode tokens = JSON.readTree(upstreamAnswer.getBytes()).path("inputTokens");
      return tokens.canConvertToLong() ? Buffer.buffer("{\"input_tokens\":" + tokens.asLong() + "}") : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Bedrock's errors are {@code {"message": ...}}: the edge writes the client's own form from the failure. */
  @Override
  public boolean errorBodiesAreAnthropic(HttpClientResponse response, Buffer body) {
    return false;
  }

  @Override
  public AnthropicEventFramer framer(HttpClientResponse response, SseParser.Listener listener, int maxEventBytes,
                                     String provider) {
    String contentType = response.getHeader("content-type");
    if (contentType == null || !contentType.startsWith(EVENT_STREAM)) {
      return null;
    }
    // A chunk's payload is the event in base64 inside JSON: a third larger, plus its headers.
    return new BedrockEventFramer(listener, maxEventBytes / 3 * 4 + 1024, provider);
  }

  @Override
  public Map<String, String> streamHeaders(HttpClientResponse response) {
    return SSE_HEADERS;
  }
}
