package dev.turnpike.router;

import dev.turnpike.contract.Admission;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.RouteDecision;
import dev.turnpike.contract.RouteRequest;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.Usage;
import dev.turnpike.contract.anthropic.TokenEstimator;
import dev.turnpike.contract.config.GatewayConfig;
import dev.turnpike.router.rules.RuleInputs;
import dev.turnpike.router.rules.RuleSet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * Everything that decides where a request goes, compiled once from the config: {@code aliases}, model-name
 * resolution, {@code routing_rules}, {@code fallbacks} and what each provider's models can do
 * ({@link Capabilities}). Pure: the verticle feeds it requests and governance's
 * limits; tests feed it a chosen random source.
 */
public final class Routing {
  private final ModelResolver resolver;
  private final Map<String, String> aliases;
  private final RuleSet rules;
  private final FallbackTable fallbacks;
  private final Capabilities capabilities;
  private final DoubleSupplier random;

  private Routing(ModelResolver resolver, Map<String, String> aliases, RuleSet rules, FallbackTable fallbacks,
                  Capabilities capabilities, DoubleSupplier random) {
    this.resolver = resolver;
    this.aliases = aliases;
    this.rules = rules;
    this.fallbacks = fallbacks;
    this.capabilities = capabilities;
    this.random = random;
  }

  /** Compiles the routing parts of {@code json}; problems (one per bad alias or rule) go to {@code problems}. */
  public static Routing compile(JsonObject json, DoubleSupplier random, List<String> problems) {
    GatewayConfig config = GatewayConfig.fromJson(json);
    ModelResolver resolver = new ModelResolver(config);
    Set<String> providers = config.providers().keySet();
    Map<String, String> aliases = new HashMap<>();
    if (json.containsKey("aliases") && !(json.getValue("aliases") instanceof JsonObject)) {
      problems.add("aliases must be an object of name to provider/model");
    }
    if (json.containsKey("routing_rules") && !(json.getValue("routing_rules") instanceof JsonArray)) {
      problems.add("routing_rules must be a list of rules");
    }
    JsonObject aliasJson = json.getValue("aliases") instanceof JsonObject a ? a : new JsonObject();
    for (String name : aliasJson.fieldNames()) {
      if (!(aliasJson.getValue(name) instanceof String target) || target.isBlank()) {
        problems.add("aliases." + name + " must name a model, e.g. \"openai/gpt-5\"");
      } else if (!resolver.parse(target).resolved()) {
        problems.add("aliases." + name + ": '" + target + "' names no configured provider (configured: "
            + providers + ")");
      } else {
        aliases.put(name, target);
      }
    }
    RuleSet rules = RuleSet.compile(json.getValue("routing_rules") instanceof JsonArray r ? r : null, providers,
        problems);
    Map<String, List<String>> usableFallbacks = new HashMap<>();
    config.fallbacks().forEach((pattern, names) -> {
      List<String> usable = new ArrayList<>();
      for (String name : names) {
        int slash = name.indexOf('/');
        if (slash <= 0 || !providers.contains(name.substring(0, slash))) {
          problems.add("fallbacks." + pattern + ": '" + name + "' does not start with a configured provider");
        } else {
          usable.add(name);
        }
      }
      usableFallbacks.put(pattern, usable);
    });
    FallbackTable fallbacks = new FallbackTable(usableFallbacks, resolver);
    return new Routing(resolver, Map.copyOf(aliases), rules, fallbacks, Capabilities.fromConfig(json, problems),
        random);
  }

  public RuleSet rules() {
    return rules;
  }

  /** A {@code provider/model} name as a target (a 404 when its provider is not configured). */
  public Target resolve(String qualifiedModel) {
    return resolver.resolve(qualifiedModel);
  }

  /** Whether deciding needs governance's limits first. */
  public boolean needsLimits() {
    return rules.readsLimits();
  }

  /** The decision for one request, or a {@code FailureException} (404: no provider claims the name). */
  public RouteDecision decide(RouteRequest request, Usage.Limits limits) {
    return decide(request, limits, target -> true);
  }

  /**
   * The decision for one request, leaving out targets that {@code available} refuses (an open circuit breaker);
   * when it refuses them all, they are all tried anyway: a guess beats a certain failure.
   */
  public RouteDecision decide(RouteRequest request, Usage.Limits limits, Predicate<Target> available) {
    return route(request, limits, available, false).decision();
  }

  /** The decision with every rule tried on the way (for the explain endpoint and for tests). */
  public Explained explain(RouteRequest request, Usage.Limits limits, Predicate<Target> available) {
    return route(request, limits, available, true);
  }

  private Explained route(RouteRequest request, Usage.Limits limits, Predicate<Target> available,
                          boolean noteEvaluations) {
    String requestedName = request.params().model();
    String name = aliases.getOrDefault(requestedName, requestedName);
    ModelResolver.Requested requested = resolver.parse(name);
    RuleSet.Outcome outcome = rules.isEmpty()
        ? new RuleSet.Outcome(requested.provider(), requested.model(), List.of(), List.of(), List.of())
        : noteEvaluations ? rules.explain(inputs(request, requested, limits), random)
        : rules.apply(inputs(request, requested, limits), random);
    Target primary = resolver.target(outcome.provider(), outcome.model(), requestedName);
    Set<Target> ordered = new LinkedHashSet<>();
    ordered.add(primary);
    for (String fallback : outcome.fallbacks()) {
      ordered.add(resolver.resolve(fallback));
    }
    ordered.addAll(fallbacks.withFallbacks(primary));
    String missing = capabilities.missing(primary, request.params());
    ordered.removeIf(target -> capabilities.missing(target, request.params()) != null);
    if (ordered.isEmpty()) {
      throw Capabilities.refusal(primary, missing);
    }
    List<Target> open = new ArrayList<>();
    List<Target> skipped = new ArrayList<>();
    for (Target target : ordered) {
      (available.test(target) ? open : skipped).add(target);
    }
    List<Target> targets = open.isEmpty() ? new ArrayList<>(ordered) : open;
    return new Explained(new RouteDecision(targets, outcome.matchedRule()), outcome, open.isEmpty() ? List.of()
        : List.copyOf(skipped));
  }

  /** A decision, how it was reached, and the targets left out because their breaker is open. */
  public record Explained(RouteDecision decision, RuleSet.Outcome outcome, List<Target> skipped) {}

  private RuleInputs inputs(RouteRequest request, ModelResolver.Requested requested, Usage.Limits limits) {
    RequestParams params = request.params();
    Map<String, Object> body = new HashMap<>(12);
    body.put("max_tokens", params.maxTokens());
    body.put("stream", params.stream());
    body.put("has_tools", params.hasTools());
    body.put("tool_count", (long) params.toolCount());
    body.put("thinking", params.thinking());
    body.put("has_images", params.hasImages());
    if (rules.readsInputTokens() && request.body() != null) {
      body.put("input_tokens", TokenEstimator.estimate(request.body()));
    }
    Admission admission = request.admission();
    String vk = admission == null || admission.virtualKey() == null ? "" : admission.virtualKey();
    String team = admission == null || admission.team() == null ? "" : admission.team();
    String customer = admission == null || admission.customer() == null ? "" : admission.customer();
    Map<String, String> headers = request.headers() == null ? Map.of() : request.headers();
    Usage.Limits used = limits == null ? Usage.Limits.NONE : limits;
    return new RuleInputs(requested.model(), requested.provider(), request.requestType(), headers,
        request.query() == null ? Map.of() : request.query(), vk, vk, team, team, customer, customer,
        used.budgetUsed(), used.tokensUsed(), used.requestsUsed(), body,
        headers.getOrDefault("x-claude-code-session-id", ""), headers.getOrDefault("x-claude-code-agent-id", ""),
        headers.getOrDefault("x-claude-code-request-class", ""));
  }

}
