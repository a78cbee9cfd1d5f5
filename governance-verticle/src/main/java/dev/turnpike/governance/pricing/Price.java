package dev.turnpike.governance.pricing;

import dev.turnpike.contract.Usage;
import io.vertx.core.json.JsonObject;

/**
 * What a model costs, in USD per million tokens. Amounts are kept in nano-USD ({@code 1e-9} USD) as longs, so
 * counters add exactly: a cache read at $0.01/MTok is 10 nano-USD a token.
 *
 * @param cacheReadPerMtok what a token read from the prompt cache costs
 * @param cacheWritePerMtok what a token written to the prompt cache costs (Anthropic's 5-minute rate)
 */
public record Price(double inputPerMtok, double outputPerMtok, double cacheReadPerMtok, double cacheWritePerMtok) {
  public static final long NANOS_PER_USD = 1_000_000_000L;

  public Price {
    if (inputPerMtok < 0 || outputPerMtok < 0 || cacheReadPerMtok < 0 || cacheWritePerMtok < 0) {
      throw new IllegalArgumentException("a price cannot be negative");
    }
  }

  /** Input and output only: cache tokens at the input price (a provider without a cache discount). */
  public static Price of(double inputPerMtok, double outputPerMtok) {
    return new Price(inputPerMtok, outputPerMtok, inputPerMtok, inputPerMtok);
  }

  /** From config: {@code input_per_mtok}, {@code output_per_mtok}, optional {@code cache_read_per_mtok}, {@code cache_write_per_mtok}. */
  public static Price fromJson(JsonObject json) {
    double input = number(json, "input_per_mtok");
    double output = number(json, "output_per_mtok");
    double read = json.containsKey("cache_read_per_mtok") ? number(json, "cache_read_per_mtok") : input;
    double write = json.containsKey("cache_write_per_mtok") ? number(json, "cache_write_per_mtok") : input;
    return new Price(input, output, read, write);
  }

  private static double number(JsonObject json, String key) {
    if (!(json.getValue(key) instanceof Number n) || n.doubleValue() < 0) {
      throw new IllegalArgumentException(key + " must be a number of USD per million tokens, 0 or more");
    }
    return n.doubleValue();
  }

  /** The real cost of what the upstream reported, in nano-USD (Anthropic's accounting: input excludes cache). */
  public long costNanos(Usage usage) {
    return perToken(inputPerMtok, usage.inputTokens()) + perToken(outputPerMtok, usage.outputTokens())
        + perToken(cacheReadPerMtok, usage.cacheReadTokens()) + perToken(cacheWritePerMtok, usage.cacheCreationTokens());
  }

  /**
   * The most a request can cost before it runs: every input token at the dearest input rate (a cache write costs
   * more than a plain input token) and {@code maxTokens} of output.
   */
  public long worstCaseNanos(long inputTokens, long maxTokens) {
    return perToken(Math.max(inputPerMtok, cacheWritePerMtok), inputTokens) + perToken(outputPerMtok, maxTokens);
  }

  /** $/MTok is nano-USD per token times 1000; rounded up, so a price never rounds to free. */
  private static long perToken(double perMtok, long tokens) {
    return tokens <= 0 ? 0 : (long) Math.ceil(perMtok * 1000.0 * tokens);
  }

  public JsonObject toJson() {
    return new JsonObject().put("input_per_mtok", inputPerMtok).put("output_per_mtok", outputPerMtok)
        .put("cache_read_per_mtok", cacheReadPerMtok).put("cache_write_per_mtok", cacheWritePerMtok);
  }
}
