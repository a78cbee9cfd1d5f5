package dev.turnpike.contract;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * An upstream's error answer as it came: status, the headers a client's retry logic reads ({@code retry-after},
 * {@code x-should-retry}, {@code anthropic-ratelimit-*}, ...) and the body, at most the size the provider capped it
 * to. Only same-family upstreams produce one: their body is already in the client's dialect.
 */
public record UpstreamReply(int status, Map<String, String> headers, Buffer body) {
  public UpstreamReply {
    headers = Map.copyOf(headers);
  }
}
