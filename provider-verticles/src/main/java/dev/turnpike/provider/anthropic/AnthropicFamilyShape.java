package dev.turnpike.provider.anthropic;

import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.Headers;
import dev.turnpike.provider.UpstreamRequest;
import dev.turnpike.provider.sse.SseEventFramer;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.util.Map;

/**
 * The pure part of a dialect that serves Anthropic's Messages API under another roof (Anthropic itself, Vertex,
 * Bedrock): where the call goes, how the body is patched (never re-serialised), and how the answer's framing
 * becomes Anthropic's. No I/O, no credentials; {@link AnthropicFamilyAdapter} does the rest.
 */
public interface AnthropicFamilyShape {
  /**
   * The call for {@code request}, without credentials.
   *
   * @throws dev.turnpike.contract.Failure.FailureException when the request cannot be expressed (a model id
   *     the upstream's URL cannot hold, say)
   */
  UpstreamRequest request(InvokeRequest request, ProviderConfig provider);

  /** A whole count_tokens answer in Anthropic's form ({@code {"input_tokens": N}}); null when it is not one. */
  default Buffer countAnswer(Buffer upstreamAnswer) {
    return upstreamAnswer;
  }

  /** Whether a count_tokens answer must be rewritten (and so read whole) rather than relayed as it arrives. */
  default boolean rewritesCountAnswer() {
    return false;
  }

  /**
   * Whether this upstream's error bodies are Anthropic's error JSON, which a client of the family may be shown
   * unchanged (its status, type and message); otherwise the edge writes its own.
   */
  default boolean errorBodiesAreAnthropic(HttpClientResponse response, Buffer body) {
    return true;
  }

  /**
   * The framer for a streamed answer, or null when {@code response} is a whole message.
   *
   * @param provider the provider's name, for the failures the framer reports
   */
  default AnthropicEventFramer framer(HttpClientResponse response, SseParser.Listener listener, int maxEventBytes,
                                      String provider) {
    String contentType = response.getHeader("content-type");
    return contentType != null && contentType.startsWith("text/event-stream")
        ? new SseEventFramer(new SseParser(listener, maxEventBytes)) : null;
  }

  /** The response headers a streamed answer shows the client (the upstream's own, for SSE). */
  default Map<String, String> streamHeaders(HttpClientResponse response) {
    return Headers.returnable(response.headers());
  }
}
