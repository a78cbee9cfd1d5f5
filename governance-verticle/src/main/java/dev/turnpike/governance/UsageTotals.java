package dev.turnpike.governance;

import dev.turnpike.contract.Usage;
import io.vertx.core.json.JsonObject;
import java.io.Serializable;

/** Request and token counts for one subject and model; the value type of the shared usage map. */
public record UsageTotals(long requests, long inputTokens, long outputTokens, long cacheReadTokens,
                          long cacheCreationTokens) implements Serializable {
  public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0);

  public static UsageTotals ofOneRequest(Usage usage) {
    return new UsageTotals(1, usage.inputTokens(), usage.outputTokens(), usage.cacheReadTokens(),
        usage.cacheCreationTokens());
  }

  public UsageTotals plus(UsageTotals other) {
    return new UsageTotals(requests + other.requests, inputTokens + other.inputTokens,
        outputTokens + other.outputTokens, cacheReadTokens + other.cacheReadTokens,
        cacheCreationTokens + other.cacheCreationTokens);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("requests", requests)
        .put("input_tokens", inputTokens)
        .put("output_tokens", outputTokens)
        .put("cache_read_input_tokens", cacheReadTokens)
        .put("cache_creation_input_tokens", cacheCreationTokens);
  }
}
