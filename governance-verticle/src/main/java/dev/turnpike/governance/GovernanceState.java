package dev.turnpike.governance;

import dev.turnpike.governance.identity.KeyHasher;
import dev.turnpike.governance.limits.Allowances;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What every governance instance of a node shares: the policy in force (replaced whole when the identities change)
 * and the node's allowances of every limit. The node owns one.
 */
public final class GovernanceState {
  private final Allowances allowances;
  private volatile GovernancePolicy policy;

  public GovernanceState(JsonObject config, KeyHasher hasher, Allowances allowances) {
    this.allowances = allowances;
    List<String> problems = new ArrayList<>();
    this.policy = GovernancePolicy.fromConfig(config, hasher, problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  public GovernancePolicy policy() {
    return policy;
  }

  /** A change of identities ({@link IdentityCatalog}): requests admitted from now on see the new policy. */
  void replace(GovernancePolicy next) {
    policy = next;
  }

  public Allowances allowances() {
    return allowances;
  }
}
