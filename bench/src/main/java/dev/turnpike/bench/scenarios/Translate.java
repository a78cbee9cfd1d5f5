package dev.turnpike.bench.scenarios;

/**
 * Claude Code's requests through one node to an OpenAI-dialect upstream: Anthropic Messages translated to Chat
 * Completions, the streamed answer (text + tool_calls fragments + usage chunk) translated back to Anthropic SSE.
 */
public final class Translate extends NodeScenario {
  @Override
  public String name() {
    return "translate";
  }

  @Override
  public String description() {
    return "one node, openai provider (Anthropic <-> Chat Completions, streaming tool calls), Claude Code bodies";
  }

  @Override
  public int order() {
    return 20;
  }

  @Override
  String model() {
    return "oai/gpt-bench";
  }
}
