package dev.turnpike.bench.scenarios;

import dev.turnpike.bench.Bodies;
import dev.turnpike.bench.Endpoint;
import dev.turnpike.bench.Env;
import dev.turnpike.bench.Plan;
import dev.turnpike.bench.Proc;
import dev.turnpike.bench.Scenario;
import java.util.List;

/**
 * The baseline: the load generator straight to the fake upstream's Anthropic endpoint, same bodies and rates.
 * Every other scenario's added latency is its latency minus this one's at the same rate and body. The harness
 * runs it for each body kind that the selected scenarios use, at the union of their rates.
 */
public final class Direct implements Scenario {
  private final Bodies.Kind kind;

  public Direct() {
    this(Bodies.Kind.LARGE);
  }

  public Direct(Bodies.Kind kind) {
    this.kind = kind;
  }

  @Override
  public String name() {
    return kind == Bodies.Kind.LARGE ? "direct" : "direct-small";
  }

  @Override
  public String description() {
    return "client -> fake upstream (" + kind.label() + "), no gateway: the baseline";
  }

  @Override
  public Bodies.Kind body() {
    return kind;
  }

  @Override
  public int order() {
    return kind == Bodies.Kind.LARGE ? 0 : 1;
  }

  @Override
  public Running start(Env env) {
    Endpoint endpoint = Endpoint.anthropic(env.fakePort(), "/" + Plan.script(kind) + "/v1/messages?beta=true",
        "claude-bench");
    return new Running() {
      @Override
      public List<Endpoint> endpoints() {
        return List.of(endpoint);
      }

      @Override
      public List<Proc> processes() {
        return List.of();
      }

      @Override
      public void close() {
      }
    };
  }
}
