package dev.turnpike.bench.scenarios;

/** Claude Code's ~76 KB requests through one node to an Anthropic-dialect upstream: byte passthrough. */
public final class Passthrough extends NodeScenario {
  @Override
  public String name() {
    return "passthrough";
  }

  @Override
  public String description() {
    return "one node, anthropic provider (byte passthrough, model spliced), Claude Code bodies";
  }

  @Override
  public int order() {
    return 10;
  }

  @Override
  String model() {
    return "fake/claude-bench";
  }
}
