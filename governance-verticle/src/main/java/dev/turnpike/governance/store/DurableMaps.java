package dev.turnpike.governance.store;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.core.HazelcastInstance;
import java.util.Map;

/**
 * Puts the cluster's durable maps on the store: each gets a write-behind {@link DurableMap} in the Hazelcast
 * config (before the member starts), keeping the rest of its settings (one synchronous backup) from
 * {@code cluster.xml}.
 */
public final class DurableMaps {
  private static final System.Logger LOG = System.getLogger(DurableMaps.class.getName());
  private final Map<String, EntryCodec<?>> maps;

  /** @param maps each durable map's name and how its values are written */
  public DurableMaps(Map<String, EntryCodec<?>> maps) {
    this.maps = Map.copyOf(maps);
  }

  /** @param scope the cluster's name: clusters sharing a database keep their rows apart */
  public void attach(Config config, Database database, String scope) {
    int delay = database.settings().writeDelaySeconds();
    maps.forEach((name, codec) -> {
      // getMapConfig answers the matching wildcard entry itself ("turnpike.*"), shared by every map it matches: each
      // durable map gets its own copy, registered under its own name.
      MapConfig map = new MapConfig(config.getMapConfig(name)).setName(name);
      config.addMapConfig(map);
      map.setMapStoreConfig(new MapStoreConfig()
          .setEnabled(true)
          .setImplementation(new DurableMap<>(database.entries(), scope, name, codec))
          .setWriteDelaySeconds(delay)
          .setWriteCoalescing(true)
          .setWriteBatchSize(500)
          // Loaded on first use (load() below touches each at start): a map under split-brain protection cannot
          // load until the cluster has its majority, and a node must be able to start before that.
          .setInitialLoadMode(MapStoreConfig.InitialLoadMode.LAZY));
    });
  }

  /**
   * Touches each map, which loads what the store holds when this member is the cluster's first; blocking. A map
   * that may not answer yet (below the cluster's majority) loads when it first can.
   */
  public void load(HazelcastInstance hazelcast) {
    for (String name : maps.keySet()) {
      try {
        hazelcast.getMap(name).size();
      } catch (com.hazelcast.splitbrainprotection.SplitBrainProtectionException belowMajority) {
        LOG.log(System.Logger.Level.INFO, "store: {0} loads once the cluster has its majority", name);
      }
    }
  }

  /** Writes what this member still has queued; blocking. */
  public void flush(HazelcastInstance hazelcast) {
    maps.keySet().forEach(name -> hazelcast.getMap(name).flush());
  }
}
