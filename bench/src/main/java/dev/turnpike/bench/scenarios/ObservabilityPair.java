package dev.turnpike.bench.scenarios;

import dev.turnpike.bench.Endpoint;
import dev.turnpike.bench.Env;
import dev.turnpike.bench.Plan;
import dev.turnpike.bench.Proc;
import dev.turnpike.bench.Scenario;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the request log and metrics cost, measured paired: two single nodes side by side, one on the defaults (both
 * on), one with both off, and requests alternated between them, so both see the same machine at the same moments.
 * Comparing {@link Passthrough} and {@link PassthroughBare}, run one after the other, measures the machine's drift
 * as much as the difference. Its target reads the last byte per endpoint: the first is the default node.
 *
 * <p>The difference sought is a tenth of a millisecond, so a full run measures it only where it can be read: after
 * both JVMs have finished compiling their hot paths (a fresh node's compiler takes a fifth of a core for minutes,
 * and two of them never finish in step), in steps of a minute (at 100 requests a second per node, a 10 s step's
 * median moves by about 0.1 ms from run to run by chance alone), at 100 and 200 requests a second, the rate of the
 * target and the one below.
 */
public final class ObservabilityPair implements Scenario {
  private static final Duration MEASURED_STEP = Duration.ofSeconds(60);

  @Override
  public String name() {
    return "observability-pair";
  }

  @Override
  public String description() {
    return "two nodes, requests alternated: defaults (request log and metrics on) and both off; passthrough";
  }

  @Override
  public int order() {
    return 12;
  }

  @Override
  public List<Integer> rates(Plan plan) {
    return plan.quick() ? plan.largeLadder() : List.of(100, 200);
  }

  @Override
  public Duration step(Plan plan) {
    if (plan.quick() || plan.step().compareTo(MEASURED_STEP) >= 0) {
      return plan.step();
    }
    return MEASURED_STEP;
  }

  @Override
  public boolean settlesJit() {
    return true;
  }

  @Override
  public Running start(Env env) throws Exception {
    List<Proc> started = new ArrayList<>();
    List<Endpoint> endpoints = new ArrayList<>();
    try {
      for (boolean observed : new boolean[] {true, false}) {
        int port = Env.freePort();
        String label = name() + (observed ? "-defaults" : "-bare");
        JsonObject config = env.nodeConfig(port, env.clusterName(label));
        if (!observed) {
          config.put("request_log", new JsonObject().put("enabled", false))
              .put("metrics", new JsonObject().put("enabled", false));
        }
        started.add(env.startNode(label, config));
        endpoints.add(Endpoint.anthropic(port, "/anthropic/v1/messages?beta=true", "fake/claude-bench"));
      }
    } catch (Exception e) {
      started.forEach(p -> p.stop(Duration.ofSeconds(5)));
      throw e;
    }
    return new Running() {
      @Override
      public List<Endpoint> endpoints() {
        return endpoints;
      }

      @Override
      public List<Proc> processes() {
        return started;
      }

      @Override
      public String note() {
        return "endpoint 1: defaults, endpoint 2: request_log and metrics off; CPU and RSS are both nodes'";
      }

      @Override
      public void close() {
        started.forEach(p -> p.stop(Duration.ofSeconds(10)));
      }
    };
  }
}
