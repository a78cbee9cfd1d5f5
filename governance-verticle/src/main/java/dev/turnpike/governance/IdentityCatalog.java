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
  private volatile JsonObject governance;

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
    return governance;
  }

  /** The file's own governance section. */
  JsonObject fileGovernance() {
    return config.getJsonObject("governance", new JsonObject());
  }

  Map<String, String> overlay() {
    return store.snapshot();
  }

  KeyHasher hasher() {
    return hasher;
  }

  /** What storing {@code entity} under {@code key} would make wrong that is not wrong already; empty: fine. */
  List<String> problemsWith(String key, JsonObject entity) {
    Map<String, String> candidate = new HashMap<>(store.snapshot());
    candidate.put(key, entity.encode());
    List<String> before = problemsOf(store.snapshot());
    List<String> after = problemsOf(candidate);
    after.removeAll(before);
    return after;
  }

  Future<Void> put(String key, JsonObject entity) {
    return store.put(key, entity.encode());
  }

  private synchronized void rebuild() {
    Map<String, String> overlay = store.snapshot();
    JsonObject merged = IdentityOverlay.merge(fileGovernance(), overlay);
    List<String> problems = new ArrayList<>();
    GovernancePolicy policy = GovernancePolicy.fromConfig(config.copy().put("governance", merged), hasher, problems);
    if (!problems.isEmpty()) {
      // Changes are checked before they are stored; two made at once on two nodes can still clash. Every node
      // sees the same entries and builds the same policy; the entities at fault lose what they refer to.
      LOG.log(System.Logger.Level.WARNING, "Identities changed through the admin API clash: {0}", problems);
    }
    governance = merged;
    state.replace(policy);
  }

  private List<String> problemsOf(Map<String, String> overlay) {
    List<String> problems = new ArrayList<>();
    GovernancePolicy.fromConfig(config.copy().put("governance", IdentityOverlay.merge(fileGovernance(), overlay)),
        hasher, problems);
    return problems;
  }
}
