package dev.turnpike.app;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.turnpike.governance.HazelcastUsageStore;
import dev.turnpike.governance.identity.HazelcastIdentityStore;
import dev.turnpike.governance.limits.HazelcastCounterStore;
import dev.turnpike.governance.store.Database;
import dev.turnpike.governance.store.DurableMaps;
import dev.turnpike.governance.store.EntryCodec;
import dev.turnpike.governance.store.StoreSettings;
import dev.turnpike.router.HazelcastRulesStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The node's part of the durable store (ARCHITECTURE.md §7): the cluster's counters, usage totals, identities and
 * routing rules changed at run time, written behind to PostgreSQL or the embedded file and loaded when the cluster
 * starts. {@link #NONE} for a node without a cluster or with {@code store.kind: none}.
 */
final class NodeStore {
  private static final System.Logger LOG = System.getLogger(NodeStore.class.getName());
  static final NodeStore NONE = new NodeStore(null, null);
  private static final long PURGE_INTERVAL_MS = 3_600_000;
  private static final long FLUSH_TIMEOUT_MS = 10_000;
  private final Database database;
  private final DurableMaps maps;

  private NodeStore(Database database, DurableMaps maps) {
    this.database = database;
    this.maps = maps;
  }

  /** Opens the store (connect, migrate; blocking) and puts the durable maps on it, before the member starts. */
  static NodeStore open(JsonObject config, Function<String, String> env, String nodeId, Config hazelcastConfig) {
    List<String> problems = new ArrayList<>();
    StoreSettings settings = StoreSettings.fromConfig(config.getJsonObject("store"),
        env.apply(StoreSettings.DATA_DIR_VARIABLE), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    if (!settings.enabled()) {
      return NONE;
    }
    Database database;
    try {
      database = Database.open(settings, nodeId);
    } catch (Database.StoreException e) {
      throw new ConfigException(List.of(e.getMessage()));
    }
    DurableMaps maps = new DurableMaps(Map.of(
        HazelcastCounterStore.MAP_NAME, EntryCodec.COUNTER,
        HazelcastUsageStore.MAP_NAME, EntryCodec.USAGE,
        HazelcastRulesStore.MAP_NAME, EntryCodec.TEXT,
        HazelcastIdentityStore.MAP_NAME, EntryCodec.TEXT));
    maps.attach(hazelcastConfig, database, hazelcastConfig.getClusterName());
    LOG.log(System.Logger.Level.INFO, "Store: {0}", settings.describe());
    return new NodeStore(database, maps);
  }

  /** Creates the durable maps, loading the store's rows when this member is the cluster's first. */
  Future<Void> load(Vertx vertx) {
    return blocking(vertx, hazelcast -> maps.load(hazelcast));
  }

  /** Windows long ended leave the store now and every hour (any node may; deleting twice is harmless). */
  void purgeNowAndThen(Vertx vertx) {
    if (database == null) {
      return;
    }
    Runnable purge = () -> vertx.executeBlocking(() -> database.entries().purgeExpired())
        .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "store: purge failed: {0}", e.getMessage()));
    purge.run();
    vertx.setPeriodic(PURGE_INTERVAL_MS, id -> purge.run());
  }

  /**
   * Writes what this member has queued; the others keep theirs, and the last one out writes the rest. Bounded: with
   * the store down Hazelcast would retry for ever, and a node must still be able to leave.
   */
  Future<Void> flush(Vertx vertx) {
    io.vertx.core.Promise<Void> flushed = io.vertx.core.Promise.promise();
    blocking(vertx, hazelcast -> maps.flush(hazelcast)).onComplete(flushed);
    return dev.turnpike.contract.Deadlines.within(vertx, flushed, FLUSH_TIMEOUT_MS,
        () -> dev.turnpike.contract.Failure.internal("store flush"));
  }

  void close() {
    if (database != null) {
      database.close();
    }
  }

  private Future<Void> blocking(Vertx vertx, java.util.function.Consumer<HazelcastInstance> work) {
    HazelcastInstance hazelcast = TurnpikeNode.hazelcastOf(vertx);
    if (maps == null || hazelcast == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      work.accept(hazelcast);
      return null;
    });
  }
}
