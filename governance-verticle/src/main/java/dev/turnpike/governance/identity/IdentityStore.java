package dev.turnpike.governance.identity;

import io.vertx.core.Future;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Where the identities changed through the admin API live ({@link IdentityOverlay}'s entries), so that every node
 * applies each change, a node that joins later finds them, and (with a durable store) a full restart keeps them.
 */
public interface IdentityStore {
  /** The cluster's salt for key hashes: drawn by the first node that asks, the same for every node after. */
  byte[] salt();

  /** The overlay's entries as this node knows them now. */
  Map<String, String> snapshot();

  /** Stores an entry; done when the cluster has it (every node's listener then hears of it). */
  Future<Void> put(String key, String json);

  /** {@code onChange} hears of every entry stored, by any node (the value is null for one removed). */
  void listen(BiConsumer<String, String> onChange);
}
