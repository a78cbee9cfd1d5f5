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
 * {@code cluster.name}, {@code cluster.members}, {@code cluster.interface}, {@code cluster.port} do the same.
 */
public final class ClusterSetup {
  private final Function<String, String> env;

  public ClusterSetup(Function<String, String> env) {
    this.env = env;
  }

  public HazelcastClusterManager clusterManager(JsonObject cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  public Config hazelcastConfig(JsonObject cluster) {
    Config config = load(cluster.getString("config", "cluster.xml"));
    String name = setting(cluster, "name", "TURNPIKE_CLUSTER_NAME");
    if (name != null) {
      config.setClusterName(name);
    }
    NetworkConfig network = config.getNetworkConfig();
    String port = setting(cluster, "port", "TURNPIKE_CLUSTER_PORT");
    if (port != null) {
      network.setPort(Integer.parseInt(port));
    }
    String networkInterface = setting(cluster, "interface", "TURNPIKE_CLUSTER_INTERFACE");
    if (networkInterface != null) {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(networkInterface));
    }
    String members = setting(cluster, "members", "TURNPIKE_CLUSTER_MEMBERS");
    if (members != null) {
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(Arrays.stream(members.split(","))
          .map(String::trim).filter(m -> !m.isEmpty()).toList());
    }
    return config;
  }

  /** The address the event bus binds and announces: loopback unless told otherwise. */
  public String eventBusHost(JsonObject cluster) {
    String host = setting(cluster, "event_bus_host", "TURNPIKE_EVENTBUS_HOST");
    if (host != null) {
      return host;
    }
    String networkInterface = setting(cluster, "interface", "TURNPIKE_CLUSTER_INTERFACE");
    return networkInterface != null ? networkInterface : "127.0.0.1";
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

  private static Config load(String location) {
    Path path = Path.of(location);
    try (InputStream in = Files.isRegularFile(path) ? Files.newInputStream(path)
        : ClusterSetup.class.getClassLoader().getResourceAsStream("cluster.xml")) {
      if (in == null) {
        throw new ConfigException(List.of("cluster.config: no file " + location + " and no cluster.xml in the jar"));
      }
      return new XmlConfigBuilder(in).build();
    } catch (IOException e) {
      throw new ConfigException(List.of("cluster.config: cannot read " + location + ": " + e.getMessage()));
    }
  }
}
