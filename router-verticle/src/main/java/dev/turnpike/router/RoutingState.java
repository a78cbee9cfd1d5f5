package dev.turnpike.router;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/**
 * The node's current routing, shared by its router instances and replaced whole when the rules change at run time
 * (every node compiles the new set it hears of from the {@link RulesStore}). The rest of the config (providers,
 * aliases, fallbacks) stays what the node started with.
 */
public final class RoutingState {
  private static final System.Logger LOG = System.getLogger(RoutingState.class.getName());
  private final JsonObject baseConfig;
  private final DoubleSupplier random;
  private final AtomicReference<Routing> current = new AtomicReference<>();
  private final AtomicReference<JsonArray> currentRules = new AtomicReference<>();
  private final RulesStore store;

  /** A valid change of rules or the reasons it was refused. */
  public record Change(boolean accepted, List<String> problems) {}

  public RoutingState(JsonObject config, DoubleSupplier random, RulesStore store) {
    this.baseConfig = config.copy();
    this.random = random;
    this.store = store;
    JsonArray configured = config.getValue("routing_rules") instanceof JsonArray rules ? rules : new JsonArray();
    JsonArray stored = store.current();
    if (stored == null || !apply(stored)) {
      // A stored set that does not compile against this node's config loses to the file's.
      List<String> problems = new ArrayList<>();
      if (!apply(configured, problems)) {
        throw new IllegalArgumentException("Invalid routing config: " + problems);
      }
    }
    store.listen(rules -> {
      if (!apply(rules)) {
        LOG.log(System.Logger.Level.WARNING, "A routing rule set from the cluster does not compile on this node; "
            + "keeping the current one");
      }
    });
  }

  public Routing routing() {
    return current.get();
  }

  public JsonArray rules() {
    return currentRules.get().copy();
  }

  /** Checks {@code rules} against this node's config; when valid, stores them for every node. */
  public Change replace(JsonArray rules) {
    List<String> problems = new ArrayList<>();
    Routing.compile(baseConfig.copy().put("routing_rules", rules), random, problems);
    if (!problems.isEmpty()) {
      return new Change(false, List.copyOf(problems));
    }
    apply(rules);
    store.publish(rules);
    return new Change(true, List.of());
  }

  private boolean apply(JsonArray rules) {
    return apply(rules, new ArrayList<>());
  }

  private boolean apply(JsonArray rules, List<String> problems) {
    Routing routing = Routing.compile(baseConfig.copy().put("routing_rules", rules), random, problems);
    if (!problems.isEmpty()) {
      return false;
    }
    current.set(routing);
    currentRules.set(rules.copy());
    return true;
  }
}
