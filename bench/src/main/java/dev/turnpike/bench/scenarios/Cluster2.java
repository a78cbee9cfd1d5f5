package dev.turnpike.bench.scenarios;

/** Two node processes in one cluster on this machine, requests alternated between them (passthrough). */
public final class Cluster2 extends NodeScenario {
  @Override
  public String name() {
    return "cluster2";
  }

  @Override
  public String description() {
    return "two clustered nodes (separate JVMs, one Hazelcast cluster), requests alternated, passthrough";
  }

  @Override
  public int order() {
    return 40;
  }

  @Override
  int nodes() {
    return 2;
  }

  @Override
  String model() {
    return "fake/claude-bench";
  }
}
