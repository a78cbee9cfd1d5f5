package dev.turnpike.bench.scenarios;

import dev.turnpike.bench.Endpoint;
import dev.turnpike.bench.Env;
import dev.turnpike.bench.Proc;
import dev.turnpike.bench.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Base of the scenarios that send Claude Code's requests to {@code nodes()} Turnpike node(s) with one model. */
abstract class NodeScenario implements Scenario {
  /** The {@code provider/model} the requests ask for (providers: see {@link Env#nodeConfig}). */
  abstract String model();

  int nodes() {
    return 1;
  }

  /** The node's config; a scenario with its own (routing rules, say) never shares the quick run's node. */
  io.vertx.core.json.JsonObject config(Env env, int port, String clusterName) {
    return env.nodeConfig(port, clusterName);
  }

  boolean ownConfig() {
    return false;
  }

  /** Spend caps for the overshoot burst, on the nodes listening on {@code ports} (none by default). */
  List<dev.turnpike.bench.SpendCap> spendCaps(Env env, List<Integer> ports) throws Exception {
    return List.of();
  }

  /** The endpoints one node offers (several, to rotate headers such as a session id). */
  List<Endpoint> endpoints(int port) {
    return List.of(Endpoint.anthropic(port, "/anthropic/v1/messages?beta=true", model()));
  }

  @Override
  public Running start(Env env) throws Exception {
    List<Proc> started = new ArrayList<>();
    List<Endpoint> endpoints = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    if (env.plan().quick() && nodes() == 1 && !ownConfig()) {
      Proc node = env.sharedNode();
      boolean first = env.sharedUses() == 1;
      int port = env.nodePort(node);
      Endpoint endpoint = Endpoint.anthropic(port, "/anthropic/v1/messages?beta=true", model());
      return new Running() {
        @Override
        public List<Endpoint> endpoints() {
          return List.of(endpoint);
        }

        @Override
        public List<Proc> processes() {
          return List.of(node);
        }

        @Override
        public boolean freshlyStarted() {
          return first;
        }

        @Override
        public String note() {
          return "quick mode: one node shared by the single-node scenarios (RSS and GC are cumulative)";
        }

        @Override
        public void close() {
          // Env stops the shared node at the end of the run
        }
      };
    }
    try {
      for (int i = 0; i < nodes(); i++) {
        int port = Env.freePort();
        Proc node = env.startNode(name() + (nodes() > 1 ? "-node" + (i + 1) : "-node"),
            config(env, port, env.clusterName(name())));
        started.add(node);
        ports.add(port);
        endpoints.addAll(endpoints(port));
      }
    } catch (Exception e) {
      started.forEach(p -> p.stop(Duration.ofSeconds(5)));
      throw e;
    }
    String note = nodes() > 1 ? clusterNote(started) : "";
    List<dev.turnpike.bench.SpendCap> caps = spendCaps(env, ports);
    return new Running() {
      @Override
      public String note() {
        return note;
      }

      @Override
      public List<Endpoint> endpoints() {
        return endpoints;
      }

      @Override
      public List<Proc> processes() {
        return started;
      }

      @Override
      public List<dev.turnpike.bench.SpendCap> spendCaps() {
        return caps;
      }

      @Override
      public void close() {
        started.forEach(p -> p.stop(Duration.ofSeconds(10)));
      }
    };
  }

  /** Waits up to 20 s for the last node's log to show a cluster of {@code nodes()} members. */
  private String clusterNote(List<Proc> started) throws InterruptedException {
    String wanted = "Members {size:" + nodes();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (Proc p : started) {
        try {
          if (java.nio.file.Files.readString(p.log()).contains(wanted)) {
            return "one cluster of " + nodes() + " members (Hazelcast log)";
          }
        } catch (java.io.IOException e) {
          // not written yet
        }
      }
      Thread.sleep(200);
    }
    return "WARNING: the nodes' logs never showed a cluster of " + nodes() + " members";
  }
}
