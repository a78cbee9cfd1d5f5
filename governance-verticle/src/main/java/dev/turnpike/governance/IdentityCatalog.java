package dev.turnpike.governance;

import dev.turnpike.governance.identity.IdentityOverlay;
import dev.turnpike.governance.identity.IdentityStore;
import dev.turnpike.governance.identity.KeyHasher;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's identities: the config file's with the admin API's changes laid over them ({@link IdentityOverlay}).
 * Whenever the overlay changes, on any node, every node rebuilds its policy from the same two inputs, so all
 * nodes agree; a request admitted after the rebuild sees the change. The node owns one.
 */
public final class IdentityCatalog {
  private static final System.Logger LOG = System.getLogger(IdentityCatalog.class.getName());
  private final JsonObject config;
  private final IdentityStore store;
  private final KeyHasher hasher;
  private final GovernanceState state;
  /** The identities in force and what they were built from, replaced whole on every change. */
  private volatile Built built;

  /**
   * @param overlay the admin API's entries it was built from
   * @param governance the file's section with them laid over it
   * @param problems what is wrong with it (empty unless two changes made at once clash)
   */
  private record Built(Map<String, String> overlay, JsonObject governance, GovernancePolicy policy,
                       List<String> problems) {}

  public IdentityCatalog(JsonObject config, IdentityStore store, KeyHasher hasher, GovernanceState state) {
    this.config = config.copy();
    this.store = store;
    this.hasher = hasher;
    this.state = state;
    store.listen((key, value) -> rebuild());
    rebuild();
  }

  public GovernanceState state() {
    return state;
  }

  /** The identities in force, as config would write them (keys with {@code value} or {@code value_hash}). */
  JsonObject governance() {
    return built.governance();
  }

  /** The file's own governance section. */
  JsonObject fileGovernance() {
    return config.getJsonObject("governance", new JsonObject());
  }

  Map<String, String> overlay() {
    return built.overlay();
  }

  KeyHasher hasher() {
    return hasher;
  }

  /** What storing {@code entity} under {@code key} would make wrong that is not wrong already; empty: fine. */
  List<String> problemsWith(String key, JsonObject entity) {
    Built now = built;
    Map<String, String> candidate = new HashMap<>(now.overlay());
    candidate.put(key, entity.encode());
    List<String> added = new ArrayList<>(build(candidate).problems());
    added.removeAll(now.problems());
    return added;
  }

  Future<Void> put(String key, JsonObject entity) {
    return store.put(key, entity.encode());
  }

  private synchronized void rebuild() {
    Built next = build(store.snapshot());
    if (!next.problems().isEmpty()) {
      // Changes are checked before they are stored; two made at once on two nodes can still clash. Every node
      // sees the same entries and builds the same policy; the entities at fault lose what they refer to.
      LOG.log(System.Logger.Level.WARNING, "Identities changed through the admin API clash: {0}", next.problems());
    }
    built = next;
    state.replace(next.policy());
  }

  private Built build(Map<String, String> overlay) {
    JsonObject merged = IdentityOverlay.merge(fileGovernance(), overlay);
    List<String> problems = new ArrayList<>();
    GovernancePolicy policy = GovernancePolicy.fromConfig(config.copy().put("governance", merged), hasher, problems);
    return new Built(Map.copyOf(overlay), merged, policy, List.copyOf(problems));
  }
}
