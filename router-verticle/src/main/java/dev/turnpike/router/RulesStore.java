package dev.turnpike.router;

import io.vertx.core.json.JsonArray;
import java.util.function.Consumer;

/** Where a rule set changed at run time lives, so that every node (and a node that joins later) applies it. */
public interface RulesStore {
  /** The stored rule set, or null when none was stored since the cluster started. */
  JsonArray current();

  /** Stores {@code rules}; every node's listener hears of them. */
  void publish(JsonArray rules);

  void listen(Consumer<JsonArray> listener);

  /** A node alone: nothing to share. */
  RulesStore LOCAL = new RulesStore() {
    private volatile JsonArray rules;

    @Override
    public JsonArray current() {
      return rules;
    }

    @Override
    public void publish(JsonArray published) {
      rules = published.copy();
    }

    @Override
    public void listen(Consumer<JsonArray> listener) {
      // only this node changes its rules, and it applies them itself
    }
  };
}
