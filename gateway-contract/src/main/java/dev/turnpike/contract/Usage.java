package dev.turnpike.contract;

/** Tokens one request used, as the upstream reported them (Anthropic's accounting: input excludes cache reads). */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens) {
  public static final Usage NONE = new Usage(0, 0, 0, 0);

  public Usage plus(Usage other) {
    return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
        cacheReadTokens + other.cacheReadTokens, cacheCreationTokens + other.cacheCreationTokens);
  }

  /**
   * Percentages (0-100, above 100 when exhausted) of the tightest budget, token limit and request limit that
   * apply to a caller; 0 when none applies.
   */
  public record Limits(double budgetUsed, double tokensUsed, double requestsUsed) {
    public static final Limits NONE = new Limits(0, 0, 0);
  }
}
