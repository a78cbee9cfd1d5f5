package dev.turnpike.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Builds the Hazelcast cluster manager from {@code cluster.xml} (the file named in config, else the copy
 * inside the jar) plus the {@code TURNPIKE_CLUSTER_*} overrides documented in that file. Config keys
 * {@code cluster.name}, {@code cluster.members}, {@code cluster.interface}, {@code cluster.port} do the same;
 * an environment variable wins over the config key.
 */
public final class ClusterSetup {
  private static final String DEFAULT_FILE = "cluster.xml";
  private final Function<String, String> env;

  public ClusterSetup(Function<String, String> env) {
    this.env = env;
  }

  public HazelcastClusterManager clusterManager(JsonObject cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  public Config hazelcastConfig(JsonObject cluster) {
    Config config = load(cluster.getString("config", DEFAULT_FILE));
    String name = setting(cluster, "name", "TURNPIKE_CLUSTER_NAME");
    if (name != null) {
      config.setClusterName(name);
    }
    NetworkConfig network = config.getNetworkConfig();
    String port = setting(cluster, "port", "TURNPIKE_CLUSTER_PORT");
    if (port != null) {
      try {
        network.setPort(Integer.parseInt(port));
      } catch (NumberFormatException e) {
        throw new ConfigException(List.of("cluster port (TURNPIKE_CLUSTER_PORT or cluster.port) must be a number, not "
            + port));
      }
    }
    String networkInterface = setting(cluster, "interface", "TURNPIKE_CLUSTER_INTERFACE");
    if (networkInterface != null) {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(networkInterface));
    }
    protectCountersFromSplitBrain(config, setting(cluster, "min_members", "TURNPIKE_CLUSTER_MIN_MEMBERS"));
    String members = setting(cluster, "members", "TURNPIKE_CLUSTER_MEMBERS");
    if (members != null) {
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(Arrays.stream(members.split(","))
          .map(String::trim).filter(m -> !m.isEmpty()).toList());
    }
    return config;
  }

  /**
   * With {@code min_members} (a majority of the cluster's nodes), the shared budget and rate-limit counters answer
   * only on a side of a split that has at least that many members. Without it, each side of a split would promote
   * its backups and grant the whole budget again; with it, a node cut off from the majority learns so at once and
   * its budgets follow their {@code on_partition} (closed: 503; open: its local slice only).
   */
  static final String MAJORITY = "turnpike-majority";
  static final String COUNTERS_MAP = dev.turnpike.governance.limits.HazelcastCounterStore.MAP_NAME;

  private static void protectCountersFromSplitBrain(Config config, String minMembers) {
    if (minMembers == null) {
      return;
    }
    int min;
    try {
      min = Integer.parseInt(minMembers.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(List.of("cluster min_members (TURNPIKE_CLUSTER_MIN_MEMBERS or cluster.min_members) "
          + "must be a whole number, not " + minMembers));
    }
    if (min < 1) {
      throw new ConfigException(List.of("cluster min_members must be at least 1"));
    }
    if (min == 1) {
      return; // a cluster of one is always its own majority
    }
    config.addSplitBrainProtectionConfig(new com.hazelcast.config.SplitBrainProtectionConfig(MAJORITY, true, min));
    com.hazelcast.config.MapConfig counters = new com.hazelcast.config.MapConfig(config.getMapConfig(COUNTERS_MAP))
        .setName(COUNTERS_MAP);
    counters.setSplitBrainProtectionName(MAJORITY);
    config.addMapConfig(counters);
  }

  /** The address the event bus binds and announces: loopback unless told otherwise. */
  public String eventBusHost(JsonObject cluster) {
    String host = setting(cluster, "event_bus_host", "TURNPIKE_EVENTBUS_HOST");
    if (host != null) {
      return host;
    }
    String networkInterface = setting(cluster, "interface", "TURNPIKE_CLUSTER_INTERFACE");
    if (networkInterface == null) {
      return "127.0.0.1";
    }
    if (networkInterface.contains("*") || networkInterface.contains("-")) {
      throw new ConfigException(List.of("the cluster interface " + networkInterface + " is a pattern; set "
          + "TURNPIKE_EVENTBUS_HOST (or cluster.event_bus_host) to this node's address"));
    }
    return networkInterface;
  }

  private String setting(JsonObject cluster, String key, String variable) {
    String fromEnv = env.apply(variable);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    Object value = cluster.getValue(key);
    if (value instanceof io.vertx.core.json.JsonArray list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    return value == null ? null : String.valueOf(value);
  }

  /**
   * The named file; for the default name only, the copy inside the jar when the working directory has none. A
   * file named explicitly must exist: falling back would turn a typo into a silent one-node "cluster".
   */
  private static Config load(String location) {
    Path path = Path.of(location);
    boolean useFile = Files.isRegularFile(path);
    if (!useFile && !DEFAULT_FILE.equals(location)) {
      throw new ConfigException(List.of("cluster.config: no file " + path.toAbsolutePath()));
    }
    try (InputStream in = useFile ? Files.newInputStream(path)
        : ClusterSetup.class.getClassLoader().getResourceAsStream(DEFAULT_FILE)) {
      if (in == null) {
        throw new ConfigException(List.of("cluster.config: no file " + location + " and no cluster.xml in the jar"));
      }
      return new XmlConfigBuilder(in).build();
    } catch (IOException | RuntimeException e) {
      if (e instanceof ConfigException ce) {
        throw ce;
      }
      throw new ConfigException(List.of("cluster.config: cannot use " + location + ": " + e.getMessage()));
    }
  }
}
