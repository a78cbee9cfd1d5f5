package dev.turnpike.contract;

/** Tokens one request used, as the upstream reported them (Anthropic's accounting: input excludes cache reads). */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens) {
  public static final Usage NONE = new Usage(0, 0, 0, 0);

  public Usage plus(Usage other) {
    return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
        cacheReadTokens + other.cacheReadTokens, cacheCreationTokens + other.cacheCreationTokens);
  }
}
