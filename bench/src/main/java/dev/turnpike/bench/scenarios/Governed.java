package dev.turnpike.bench.scenarios;

import dev.turnpike.bench.Bodies;
import dev.turnpike.bench.Endpoint;
import dev.turnpike.bench.Env;
import dev.turnpike.bench.Prices;
import dev.turnpike.bench.SpendCap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code cluster2} with governance on: every request comes with a virtual key that has a team, a customer, a budget
 * at each level and a rate limit, so each attempt reserves against five limits and settles them, on counters the
 * two nodes share. The limits are set high enough never to refuse: the scenario measures what enforcing costs.
 * Each cap of the plan's burst gets a virtual key of its own whose only budget is that cap, for the overshoot
 * measurement across both nodes.
 */
public final class Governed extends NodeScenario {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
  JsonObject config(Env env, int port, String clusterName) {
    Prices prices = Prices.BENCH;
    JsonObject budget = new JsonObject().put("max_usd", 1_000_000).put("reset", "1d");
    JsonArray keys = new JsonArray().add(new JsonObject().put("id", "vk-bench")
        // the value the load generator sends as x-api-key
        .put("value", "sk-bench-client").put("team", "bench-team").put("budget", budget)
        .put("rate_limit", new JsonObject().put("requests_per_minute", 10_000_000)
            .put("tokens_per_minute", 1_000_000_000_000L)));
    List<Double> caps = env.plan().burst().capsUsd();
    for (int i = 0; i < caps.size(); i++) {
      keys.add(new JsonObject().put("id", burstKeyId(i)).put("value", burstKeyValue(i))
          .put("budget", new JsonObject().put("max_usd", caps.get(i)).put("reset", "1d")));
    }
    return env.nodeConfig(port, clusterName)
        .put("pricing", new JsonObject().put("fake/*", new JsonObject().put("input_per_mtok", prices.input())
            .put("output_per_mtok", prices.output()).put("cache_read_per_mtok", prices.cacheRead())
            .put("cache_write_per_mtok", prices.cacheWrite())))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true)
            .put("customers", new JsonArray().add(new JsonObject().put("id", "bench-customer").put("budget", budget)))
            .put("teams", new JsonArray().add(new JsonObject().put("id", "bench-team").put("customer", "bench-customer")
                .put("budget", budget)))
            .put("virtual_keys", keys));
  }

  @Override
  List<SpendCap> spendCaps(Env env, List<Integer> ports) throws Exception {
    String note = worstCaseNote(env);
    List<Double> caps = env.plan().burst().capsUsd();
    List<SpendCap> out = new ArrayList<>();
    for (int i = 0; i < caps.size(); i++) {
      List<Endpoint> endpoints = new ArrayList<>();
      for (int port : ports) { // the burst alternates between the nodes, as the ladder does
        for (Endpoint e : endpoints(port)) {
          endpoints.add(e.withCredential("x-api-key", burstKeyValue(i)));
        }
      }
      String row = "vk/" + burstKeyId(i) + "/budget/1d";
      int port = ports.get(0); // the usage report is the cluster's, whichever node answers
      out.add(new SpendCap(caps.get(i), endpoints, () -> budgetRow(port, row), note));
    }
    return out;
  }

  private static String burstKeyId(int i) {
    return "vk-burst-" + (i + 1);
  }

  private static String burstKeyValue(int i) {
    return "sk-bench-burst-" + (i + 1);
  }

  private static SpendCap.Reading budgetRow(int port, String id) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/admin/usage")).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /api/admin/usage: " + r.statusCode() + " " + r.body());
    }
    for (Object o : new JsonObject(r.body()).getJsonArray("limits")) {
      JsonObject row = (JsonObject) o;
      if (id.equals(row.getString("id"))) {
        return new SpendCap.Reading(row.getDouble("spent"), row.getDouble("reserved"));
      }
    }
    throw new IllegalStateException("no limit " + id + " in /api/admin/usage");
  }

  /** What the node reserves per request for these bodies, the reason it admits fewer than the cap would hold. */
  private String worstCaseNote(Env env) throws Exception {
    double low = Double.MAX_VALUE;
    double high = 0;
    for (Buffer body : Bodies.of(body(), env.repoRoot(), model())) {
      double w = Prices.BENCH.worstCaseUsd(body.length(), new JsonObject(body).getLong("max_tokens", 0L));
      low = Math.min(low, w);
      high = Math.max(high, w);
    }
    return String.format(Locale.ROOT, "reserves each request's worst case before it starts ($%.2f-%.2f for these "
        + "bodies: prompt bytes / 3 at the cache-write price plus max_tokens of output), settles to the real cost "
        + "after; budget shared by both nodes", low, high);
  }
}
