package dev.turnpike.bench.scenarios;

import dev.turnpike.bench.Bodies;

/** 1 KB requests (short answers) through one node's passthrough at high rates: per-request overhead. */
public final class Small extends NodeScenario {
  @Override
  public String name() {
    return "small";
  }

  @Override
  public String description() {
    return "one node, anthropic passthrough, 1 KB bodies and short answers, high rates";
  }

  @Override
  public Bodies.Kind body() {
    return Bodies.Kind.SMALL;
  }

  @Override
  public int order() {
    return 30;
  }

  @Override
  String model() {
    return "fakesmall/claude-bench";
  }
}
