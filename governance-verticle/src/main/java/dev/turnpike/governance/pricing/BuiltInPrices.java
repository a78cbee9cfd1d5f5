package dev.turnpike.governance.pricing;

import java.util.Map;

/**
 * List prices of common models, USD per million tokens, standard (not batch) rates, the lowest prompt-length
 * band where a provider has several. Sources, read 2026-12-02: Anthropic, platform.claude.com/docs/en/about-claude/pricing
 * (cache write = the 5-minute rate; the same prices on Bedrock and Vertex, whose model ids
 * {@link PriceTable#normalise} maps here); OpenAI, openai.com/api/pricing (cached input as the cache-read rate);
 * Groq, groq.com/pricing; Mistral, mistral.ai/pricing; Google, ai.google.dev/gemini-api/docs/pricing. Prices
 * change: {@code pricing} in the config overrides any of them, per {@code provider/model}.
 */
final class BuiltInPrices {
  private BuiltInPrices() {}

  static final Map<String, Price> BY_MODEL = Map.ofEntries(
      // Anthropic: input, output, cache read, cache write (5 min).
      Map.entry("claude-fable-5-1", new Price(10, 50, 0.25, 12.5)),
      Map.entry("claude-fable-5", new Price(10, 50, 1.0, 12.5)),
      Map.entry("claude-opus-5-5", new Price(4, 20, 0.20, 5.0)),
      Map.entry("claude-opus-5", new Price(5, 25, 0.50, 6.25)),
      Map.entry("claude-sonnet-5-5", new Price(2, 10, 0.10, 2.5)),
      Map.entry("claude-sonnet-5", new Price(2, 10, 0.20, 2.5)),
      Map.entry("claude-haiku-5-5", new Price(0.10, 0.50, 0.01, 0.125)),
      Map.entry("claude-opus-4-8", new Price(5, 25, 0.50, 6.25)),
      Map.entry("claude-opus-4-7", new Price(5, 25, 0.50, 6.25)),
      Map.entry("claude-opus-4-6", new Price(5, 25, 0.50, 6.25)),
      Map.entry("claude-opus-4-5", new Price(5, 25, 0.50, 6.25)),
      Map.entry("claude-opus-4-1", new Price(15, 75, 1.50, 18.75)),
      Map.entry("claude-opus-4", new Price(15, 75, 1.50, 18.75)),
      Map.entry("claude-sonnet-4-6", new Price(3, 15, 0.30, 3.75)),
      Map.entry("claude-sonnet-4-5", new Price(3, 15, 0.30, 3.75)),
      Map.entry("claude-sonnet-4", new Price(3, 15, 0.30, 3.75)),
      Map.entry("claude-3-7-sonnet", new Price(3, 15, 0.30, 3.75)),
      Map.entry("claude-haiku-4-5", new Price(1, 5, 0.10, 1.25)),
      Map.entry("claude-3-5-haiku", new Price(0.80, 4, 0.08, 1.0)),
      Map.entry("claude-3-haiku", new Price(0.25, 1.25, 0.03, 0.30)),
      // OpenAI: cached input is the cache-read rate; writing the cache costs nothing extra.
      Map.entry("gpt-5", new Price(1.25, 10, 0.125, 1.25)),
      Map.entry("gpt-5-mini", new Price(0.25, 2, 0.025, 0.25)),
      Map.entry("gpt-5-nano", new Price(0.05, 0.40, 0.005, 0.05)),
      Map.entry("gpt-4.1", new Price(2, 8, 0.50, 2)),
      Map.entry("gpt-4.1-mini", new Price(0.40, 1.60, 0.10, 0.40)),
      Map.entry("gpt-4.1-nano", new Price(0.10, 0.40, 0.025, 0.10)),
      Map.entry("gpt-4o", new Price(2.5, 10, 1.25, 2.5)),
      Map.entry("gpt-4o-mini", new Price(0.15, 0.60, 0.075, 0.15)),
      Map.entry("o3", new Price(2, 8, 0.50, 2)),
      Map.entry("o4-mini", new Price(1.10, 4.40, 0.275, 1.10)),
      // Groq.
      Map.entry("llama-3.3-70b-versatile", Price.of(0.59, 0.79)),
      Map.entry("llama-3.1-8b-instant", Price.of(0.05, 0.08)),
      Map.entry("openai/gpt-oss-120b", Price.of(0.15, 0.75)),
      Map.entry("openai/gpt-oss-20b", Price.of(0.10, 0.50)),
      // Mistral.
      Map.entry("mistral-large", Price.of(2, 6)),
      Map.entry("mistral-medium", Price.of(0.40, 2)),
      Map.entry("mistral-small", Price.of(0.10, 0.30)),
      Map.entry("codestral", Price.of(0.30, 0.90)),
      // Google Gemini (prompts up to 200K tokens).
      Map.entry("gemini-2.5-pro", new Price(1.25, 10, 0.125, 1.25)),
      Map.entry("gemini-2.5-flash", new Price(0.30, 2.50, 0.03, 0.30)),
      Map.entry("gemini-2.5-flash-lite", new Price(0.10, 0.40, 0.01, 0.10)));
}
