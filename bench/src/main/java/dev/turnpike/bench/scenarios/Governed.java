package dev.turnpike.bench.scenarios;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code cluster2} with governance on: every request comes with a virtual key that has a team, a customer, a budget
 * at each level and a rate limit, so each attempt reserves against five limits and settles them, on counters the
 * two nodes share. The limits are set high enough never to refuse: the scenario measures what enforcing costs.
 */
public final class Governed extends NodeScenario {
  @Override
  public String name() {
    return "governed";
  }

  @Override
  public String description() {
    return "cluster2 with every request under a virtual key with budgets (key, team, customer) and a rate limit";
  }

  @Override
  public int order() {
    return 45;
  }

  @Override
  int nodes() {
    return 2;
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
  JsonObject config(dev.turnpike.bench.Env env, int port, String clusterName) {
    JsonObject budget = new JsonObject().put("max_usd", 1_000_000).put("reset", "1d");
    return env.nodeConfig(port, clusterName)
        .put("pricing", new JsonObject().put("fake/*", new JsonObject().put("input_per_mtok", 3)
            .put("output_per_mtok", 15).put("cache_read_per_mtok", 0.3).put("cache_write_per_mtok", 3.75)))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true)
            .put("customers", new JsonArray().add(new JsonObject().put("id", "bench-customer").put("budget", budget)))
            .put("teams", new JsonArray().add(new JsonObject().put("id", "bench-team").put("customer", "bench-customer")
                .put("budget", budget)))
            .put("virtual_keys", new JsonArray().add(new JsonObject().put("id", "vk-bench")
                // the value the load generator sends as x-api-key
                .put("value", "sk-bench-client").put("team", "bench-team").put("budget", budget)
                .put("rate_limit", new JsonObject().put("requests_per_minute", 10_000_000)
                    .put("tokens_per_minute", 1_000_000_000_000L)))));
  }
}
