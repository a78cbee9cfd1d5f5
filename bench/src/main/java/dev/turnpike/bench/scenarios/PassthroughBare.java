package dev.turnpike.bench.scenarios;

import dev.turnpike.bench.Env;
import io.vertx.core.json.JsonObject;

/**
 * {@link Passthrough} with the request log and metrics off: what observability, on by default, costs a request.
 * Its target compares the two in the same run.
 */
public final class PassthroughBare extends NodeScenario {
  @Override
  public String name() {
    return "passthrough-bare";
  }

  @Override
  public String description() {
    return "passthrough with request_log and metrics off (the cost of observability, on by default)";
  }

  @Override
  public int order() {
    return 11;
  }

  @Override
  String model() {
    return "fake/claude-bench";
  }

  @Override
  boolean ownConfig() {
    return true;
  }

  @Override
  JsonObject config(Env env, int port, String clusterName) {
    return env.nodeConfig(port, clusterName)
        .put("request_log", new JsonObject().put("enabled", false))
        .put("metrics", new JsonObject().put("enabled", false));
  }
}
