package dev.turnpike.bench.scenarios;

import dev.turnpike.bench.Endpoint;
import dev.turnpike.bench.Env;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The passthrough scenario with routing at work: 50 rules of the kinds teams write (headers, teams, models,
 * request size, the budget overflow rule that asks governance), most of which do not match, a last one that splits
 * 50/50 between two models of the passthrough fake, and session affinity on (eight Claude Code sessions rotated).
 */
public final class Routed extends NodeScenario {
  static final int RULES = 50;
  static final int SESSIONS = 8;

  @Override
  public String name() {
    return "routed";
  }

  @Override
  public String description() {
    return "one node, passthrough through " + RULES + " routing rules and session affinity, Claude Code bodies";
  }

  @Override
  public int order() {
    return 15;
  }

  @Override
  String model() {
    return "claude-sonnet-4-5";
  }

  @Override
  boolean ownConfig() {
    return true;
  }

  @Override
  JsonObject config(Env env, int port, String clusterName) {
    return env.nodeConfig(port, clusterName).put("routing_rules", rules());
  }

  @Override
  List<Endpoint> endpoints(int port) {
    List<Endpoint> endpoints = new ArrayList<>();
    Endpoint base = Endpoint.anthropic(port, "/anthropic/v1/messages?beta=true", model());
    for (int i = 0; i < SESSIONS; i++) {
      Map<String, String> headers = new HashMap<>(base.headers());
      headers.put("x-claude-code-session-id", "bench-session-" + i);
      endpoints.add(new Endpoint(port, base.path(), base.model(), Map.copyOf(headers), base.terminator()));
    }
    return endpoints;
  }

  /** 49 rules that do not match these requests, then the 50/50 split that does. */
  static JsonArray rules() {
    JsonArray rules = new JsonArray();
    String[] kinds = {
        "headers['x-tier'] == 'premium-%d'",
        "team_id == 'team-%d' && model.startsWith('claude-')",
        "model == 'gpt-%d'",
        "body.max_tokens > 200000 && request_class == 'class-%d'",
        "'x-route-%d' in headers",
        "customer_id == 'customer-%d' || virtual_key_id == 'vk-%d'",
        "params[?'region'].orValue('') == 'zone-%d'"};
    rules.add(rule("Budget Overflow Route", "budget_used > 85", "fake", "claude-bench-cheap", 0));
    for (int i = 1; i < RULES - 1; i++) {
      String expression = kinds[i % kinds.length].replace("%d", String.valueOf(i));
      rules.add(rule("rule " + i, expression, "fake", "claude-bench-" + i, i));
    }
    rules.add(new JsonObject().put("name", "A/B").put("cel_expression", "model.startsWith('claude-sonnet')")
        .put("priority", RULES).put("targets", new JsonArray()
            .add(new JsonObject().put("provider", "fake").put("model", "claude-bench-a").put("weight", 0.5))
            .add(new JsonObject().put("provider", "fake").put("model", "claude-bench-b").put("weight", 0.5))));
    return rules;
  }

  private static JsonObject rule(String name, String expression, String provider, String model, int priority) {
    return new JsonObject().put("name", name).put("cel_expression", expression).put("priority", priority)
        .put("targets", new JsonArray().add(new JsonObject().put("provider", provider).put("model", model)));
  }
}
