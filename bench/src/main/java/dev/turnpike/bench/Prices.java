package dev.turnpike.bench;

/**
 * The prices, USD per million tokens, every gateway under test is configured with for the fake's model, so that a
 * request's cost is known in advance and the same for all of them: {@link #BENCH} is Claude Sonnet's list price.
 */
public record Prices(double input, double output, double cacheRead, double cacheWrite) {
  public static final Prices BENCH = new Prices(3, 15, 0.3, 3.75);

  /** What one answer of {@code script} costs: the fake reports no cache use. */
  public double costUsd(FakeScript script) {
    return (FakeScript.INPUT_TOKENS * input + script.tokens() * output) / 1e6;
  }

  /**
   * What Turnpike reserves before a request starts (README, Budgets): the prompt estimate, a third of the body's
   * bytes, at the dearer of the input and cache-write prices, plus {@code max_tokens} of output.
   */
  public double worstCaseUsd(int bodyBytes, long maxTokens) {
    return ((bodyBytes + 2) / 3 * Math.max(input, cacheWrite) + maxTokens * output) / 1e6;
  }
}
