package dev.turnpike.provider;

import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.anthropic.TokenEstimator;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * Answers {@code count_tokens} locally where the upstream cannot: Claude Code handles an estimate well, while
 * a 5xx or 501 would change its behaviour (it falls back to {@code max_tokens: 1} message calls).
 */
public final class LocalTokenCount {
  private static final Map<String, String> JSON_HEADERS = Map.of("content-type", "application/json");

  private LocalTokenCount() {}

  public static void answer(InvokeRequest request, StreamSink sink) {
    long tokens = TokenEstimator.estimate(request.body());
    sink.head(200, JSON_HEADERS);
    sink.data(Buffer.buffer("{\"input_tokens\":" + tokens + "}"), Usage.NONE);
    sink.end(Usage.NONE);
  }
}
