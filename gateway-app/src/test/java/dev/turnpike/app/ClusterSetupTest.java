package dev.turnpike.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClusterSetup}: the shipped {@code cluster.xml} defaults (TCP-IP on loopback, no multicast, no bind to
 * every interface) and the {@code TURNPIKE_CLUSTER_*} variables and {@code cluster.*} config keys that override
 * them without editing the file.
 */
class ClusterSetupTest {

  /** The repository's own cluster.xml (the test runs in gateway-app/). */
  private static final Path ROOT_CLUSTER_XML = Path.of("..", "cluster.xml");

  private static final Function<String, String> NO_ENV = name -> null;

  private static Function<String, String> env(Map<String, String> variables) {
    return variables::get;
  }

  private static JsonObject rootXml() {
    assertTrue(Files.isRegularFile(ROOT_CLUSTER_XML), "expected the repository's cluster.xml at "
        + ROOT_CLUSTER_XML.toAbsolutePath());
    return new JsonObject().put("config", ROOT_CLUSTER_XML.toString());
  }

  // ---- defaults --------------------------------------------------------------------------------------------

  @Test
  void rootClusterXmlJoinsOverTcpIpOnLoopbackOnly() {
    assertLoopbackDefaults(new ClusterSetup(NO_ENV).hazelcastConfig(rootXml()));
  }

  @Test
  void theCopyInsideTheJarHasTheSameDefaults() {
    // The default location "cluster.xml" is not a file in gateway-app/, so the classpath copy is read.
    Assumptions.assumeFalse(Files.exists(Path.of("cluster.xml")), "a cluster.xml in the working directory");
    Config config = new ClusterSetup(NO_ENV).hazelcastConfig(new JsonObject());
    assertLoopbackDefaults(config);
  }

  private static void assertLoopbackDefaults(Config config) {
    assertEquals("turnpike", config.getClusterName());
    NetworkConfig network = config.getNetworkConfig();
    JoinConfig join = network.getJoin();
    assertFalse(join.getMulticastConfig().isEnabled(), "multicast must be off");
    assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection must be off");
    assertTrue(join.getTcpIpConfig().isEnabled(), "TCP-IP join must be on");
    assertEquals(List.of("127.0.0.1"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertTrue(network.getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(network.getInterfaces().getInterfaces()));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    assertEquals(5701, network.getPort());
    assertTrue(network.isPortAutoIncrement());
    assertEquals("1", config.getProperty("hazelcast.wait.seconds.before.join"));
    // Governance counters: one synchronous backup (ARCHITECTURE.md §7), so one dead node loses nothing.
    MapConfig usage = config.findMapConfig("turnpike.usage");
    assertEquals(1, usage.getBackupCount());
    assertEquals(0, usage.getAsyncBackupCount());
    // The structures the Vert.x cluster manager needs are kept.
    assertEquals(1, config.findMapConfig("__vertx.haInfo").getBackupCount());
    assertEquals(1, config.findMapConfig("__vertx.nodeInfo").getBackupCount());
    assertTrue(config.getMultiMapConfigs().containsKey("__vertx.subs"));
  }

  @Test
  void eventBusDefaultsToLoopback() {
    assertEquals("127.0.0.1", new ClusterSetup(NO_ENV).eventBusHost(new JsonObject()));
  }

  // ---- environment variables -------------------------------------------------------------------------------

  @Test
  void environmentVariablesOverrideClusterXml() {
    ClusterSetup setup = new ClusterSetup(env(Map.of(
        "TURNPIKE_CLUSTER_NAME", "team-a",
        "TURNPIKE_CLUSTER_MEMBERS", " 10.0.0.1, 10.0.0.2:5799 ,,turnpike-hz.prod.svc.cluster.local ",
        "TURNPIKE_CLUSTER_INTERFACE", "10.0.0.1",
        "TURNPIKE_CLUSTER_PORT", "6123")));
    Config config = setup.hazelcastConfig(rootXml());
    assertEquals("team-a", config.getClusterName());
    NetworkConfig network = config.getNetworkConfig();
    assertEquals(6123, network.getPort());
    assertTrue(network.getInterfaces().isEnabled());
    assertEquals(List.of("10.0.0.1"), List.copyOf(network.getInterfaces().getInterfaces()));
    assertTrue(network.getJoin().getTcpIpConfig().isEnabled());
    assertFalse(network.getJoin().getMulticastConfig().isEnabled());
    assertEquals(List.of("10.0.0.1", "10.0.0.2:5799", "turnpike-hz.prod.svc.cluster.local"),
        network.getJoin().getTcpIpConfig().getMembers());
    // What the file says and nobody overrode stays.
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    assertEquals(1, config.findMapConfig("turnpike.usage").getBackupCount());
    // The event bus follows the cluster interface unless told otherwise.
    assertEquals("10.0.0.1", setup.eventBusHost(new JsonObject()));
  }

  @Test
  void minMembersProtectsTheSharedCountersAndOnlyThem() {
    Config config = new ClusterSetup(env(Map.of())).hazelcastConfig(rootXml().put("min_members", 2));
    assertEquals(2, config.getSplitBrainProtectionConfig(ClusterSetup.MAJORITY).getMinimumClusterSize());
    assertEquals(ClusterSetup.MAJORITY, config.findMapConfig("turnpike.counters").getSplitBrainProtectionName());
    assertEquals(1, config.findMapConfig("turnpike.counters").getBackupCount(), "the file's backup stays");
    assertEquals(null, config.findMapConfig("turnpike.usage").getSplitBrainProtectionName());

    Config alone = new ClusterSetup(env(Map.of())).hazelcastConfig(rootXml());
    assertEquals(null, alone.findMapConfig("turnpike.counters").getSplitBrainProtectionName());
    assertEquals(3, new ClusterSetup(env(Map.of("TURNPIKE_CLUSTER_MIN_MEMBERS", "3"))).hazelcastConfig(rootXml())
        .getSplitBrainProtectionConfig(ClusterSetup.MAJORITY).getMinimumClusterSize());
    ConfigException bad = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> new ClusterSetup(env(Map.of())).hazelcastConfig(rootXml().put("min_members", "most")));
    assertTrue(bad.getMessage().contains("min_members"), bad.getMessage());
  }

  @Test
  void eventBusHostVariableWinsOverTheInterface() {
    ClusterSetup setup = new ClusterSetup(env(Map.of(
        "TURNPIKE_CLUSTER_INTERFACE", "10.0.0.*", "TURNPIKE_EVENTBUS_HOST", "10.0.0.7")));
    assertEquals("10.0.0.7", setup.eventBusHost(new JsonObject()));
    assertEquals("10.0.0.7", setup.eventBusHost(new JsonObject().put("event_bus_host", "10.9.9.9")));
  }

  @Test
  void blankVariablesAreIgnored() {
    ClusterSetup setup = new ClusterSetup(env(Map.of(
        "TURNPIKE_CLUSTER_NAME", "  ", "TURNPIKE_CLUSTER_MEMBERS", "", "TURNPIKE_CLUSTER_PORT", " ")));
    assertLoopbackDefaults(setup.hazelcastConfig(rootXml()));
  }

  @Test
  void membersTurnMulticastOffAndTcpIpOnWhateverTheFileSays(@TempDir Path dir) throws IOException {
    Path xml = dir.resolve("multicast.xml");
    Files.writeString(xml, """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <cluster-name>other</cluster-name>
          <network>
            <join>
              <multicast enabled="true"/>
              <tcp-ip enabled="false"/>
            </join>
          </network>
        </hazelcast>
        """);
    JsonObject cluster = new JsonObject().put("config", xml.toString());
    Config untouched = new ClusterSetup(NO_ENV).hazelcastConfig(cluster);
    assertEquals("other", untouched.getClusterName());
    assertTrue(untouched.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());

    Config config = new ClusterSetup(env(Map.of("TURNPIKE_CLUSTER_MEMBERS", "127.0.0.1:5801")))
        .hazelcastConfig(cluster);
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5801"), join.getTcpIpConfig().getMembers());
  }

  // ---- config keys -----------------------------------------------------------------------------------------

  @Test
  void configKeysOverrideClusterXml() {
    JsonObject cluster = rootXml().put("name", "from-config").put("members", "10.1.0.1,10.1.0.2")
        .put("interface", "10.1.0.1").put("port", 6200);
    ClusterSetup setup = new ClusterSetup(NO_ENV);
    Config config = setup.hazelcastConfig(cluster);
    assertEquals("from-config", config.getClusterName());
    assertEquals(6200, config.getNetworkConfig().getPort());
    assertEquals(List.of("10.1.0.1"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals(List.of("10.1.0.1", "10.1.0.2"), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
    assertFalse(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    assertEquals("10.1.0.1", setup.eventBusHost(cluster));
    assertEquals("10.1.0.9", setup.eventBusHost(cluster.copy().put("event_bus_host", "10.1.0.9")));
  }

  @Test
  void membersMayBeAJsonList() {
    JsonObject cluster = rootXml().put("members", new JsonArray().add("10.2.0.1").add("10.2.0.2:5702"));
    Config config = new ClusterSetup(NO_ENV).hazelcastConfig(cluster);
    assertEquals(List.of("10.2.0.1", "10.2.0.2:5702"), config.getNetworkConfig().getJoin().getTcpIpConfig()
        .getMembers());
  }

  @Test
  void environmentWinsOverConfigKeys() {
    JsonObject cluster = rootXml().put("name", "from-config").put("members", "10.1.0.1").put("interface", "10.1.0.1")
        .put("port", 6200);
    Config config = new ClusterSetup(env(Map.of(
        "TURNPIKE_CLUSTER_NAME", "from-env", "TURNPIKE_CLUSTER_MEMBERS", "10.3.0.1",
        "TURNPIKE_CLUSTER_INTERFACE", "10.3.0.1", "TURNPIKE_CLUSTER_PORT", "6300")))
        .hazelcastConfig(cluster);
    assertEquals("from-env", config.getClusterName());
    assertEquals(6300, config.getNetworkConfig().getPort());
    assertEquals(List.of("10.3.0.1"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals(List.of("10.3.0.1"), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
  }
  @Test
  void aNamedClusterFileThatDoesNotExistStopsTheNodeInsteadOfFallingBack() {
    ConfigException error = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> new ClusterSetup(NO_ENV).hazelcastConfig(new JsonObject().put("config", "/nowhere/clustr.xml")));
    assertTrue(error.getMessage().contains("/nowhere/clustr.xml"), error.getMessage());
  }

  @Test
  void aPortThatIsNotANumberIsAConfigProblem() {
    ConfigException error = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> new ClusterSetup(env(Map.of("TURNPIKE_CLUSTER_PORT", "57O1"))).hazelcastConfig(rootXml()));
    assertTrue(error.getMessage().contains("57O1"), error.getMessage());
  }

  @Test
  void anInterfacePatternNeedsAnExplicitEventBusHost() {
    JsonObject cluster = rootXml().put("interface", "10.*.*.*");
    org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> new ClusterSetup(NO_ENV).eventBusHost(cluster));
    assertEquals("10.4.0.7", new ClusterSetup(env(Map.of("TURNPIKE_EVENTBUS_HOST", "10.4.0.7"))).eventBusHost(cluster));
  }

  // ---- the Kubernetes variant (k8s/) -----------------------------------------------------------------------

  /** k8s/configmap.yaml's cluster.xml, with the environment deployment.yaml gives a pod. */
  @Test
  void kubernetesClusterXmlFindsPodsByDnsAndBindsThePodIp(@TempDir Path dir) throws IOException {
    JsonObject configMap = yaml("configmap.yaml").get(0);
    Path xml = dir.resolve("cluster.xml");
    Files.writeString(xml, configMap.getJsonObject("data").getString("cluster.xml"));
    ClusterSetup setup = new ClusterSetup(env(Map.of(
        "TURNPIKE_CLUSTER_INTERFACE", "10.244.1.17", "TURNPIKE_EVENTBUS_HOST", "10.244.1.17")));
    Config config = setup.hazelcastConfig(new JsonObject().put("config", xml.toString()));

    assertEquals("turnpike", config.getClusterName());
    NetworkConfig network = config.getNetworkConfig();
    JoinConfig join = network.getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getKubernetesConfig().isEnabled());
    String serviceDns = join.getKubernetesConfig().getProperty("service-dns");
    assertEquals("5701", join.getKubernetesConfig().getProperty("service-port"));
    assertEquals(5701, network.getPort());
    assertFalse(network.isPortAutoIncrement(), "every pod on 5701, the port DNS discovery tries");
    assertTrue(network.getInterfaces().isEnabled());
    assertEquals(List.of("10.244.1.17"), List.copyOf(network.getInterfaces().getInterfaces()));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    assertEquals(1, config.findMapConfig("turnpike.usage").getBackupCount());
    assertEquals(0, config.findMapConfig("turnpike.usage").getAsyncBackupCount());
    assertTrue(config.getMultiMapConfigs().containsKey("__vertx.subs"));
    assertEquals("10.244.1.17", setup.eventBusHost(new JsonObject()));

    // The DNS name is the headless service, which publishes pods before they are ready.
    JsonObject headless = yaml("service-headless.yaml").get(0);
    assertEquals(serviceDns.split("\\.")[0], headless.getJsonObject("metadata").getString("name"));
    assertEquals("None", headless.getJsonObject("spec").getString("clusterIP"));
    assertTrue(headless.getJsonObject("spec").getBoolean("publishNotReadyAddresses"));
    assertEquals(5701, headless.getJsonObject("spec").getJsonArray("ports").getJsonObject(0).getInteger("port"));
  }

  /** k8s/configmap.yaml's turnpike.json loads with the variables secret.example.yaml provides. */
  @Test
  void kubernetesConfigLoadsWithTheSecretsVariables() {
    JsonObject data = yaml("configmap.yaml").get(0).getJsonObject("data");
    JsonObject secrets = yaml("secret.example.yaml").get(0).getJsonObject("stringData");
    JsonObject config = new ConfigLoader(name -> secrets.getString(name))
        .prepare(new JsonObject(data.getString("turnpike.json")));
    assertEquals(secrets.getString("ANTHROPIC_API_KEY"), config.getJsonObject("providers")
        .getJsonObject("anthropic").getJsonArray("keys").getJsonObject(0).getString("value"));
    assertEquals(8080, config.getJsonObject("server").getInteger("port"));
    assertEquals(secrets.getString("TURNPIKE_ADMIN_TOKEN"), config.getJsonObject("admin").getString("token"),
        "a pod reachable from other pods protects its admin API");
    assertEquals("postgres", config.getJsonObject("store").getString("kind"), "pods keep nothing on their own disk");
    assertEquals(secrets.getString("TURNPIKE_DB_URL"), config.getJsonObject("store").getString("url"));
    int replicas = yaml("deployment.yaml").get(0).getJsonObject("spec").getInteger("replicas");
    assertEquals(replicas / 2 + 1, config.getJsonObject("cluster").getInteger("min_members"),
        "the counters answer only on the majority's side of a split");

    JsonObject deployment = yaml("deployment.yaml").get(0);
    JsonObject pod = deployment.getJsonObject("spec").getJsonObject("template").getJsonObject("spec");
    JsonObject container = pod.getJsonArray("containers").getJsonObject(0);
    // The config names the cluster.xml where the deployment mounts the config map.
    String clusterXml = config.getJsonObject("cluster").getString("config");
    String mountPath = container.getJsonArray("volumeMounts").stream().map(JsonObject.class::cast)
        .filter(m -> m.getString("name").equals("config")).findFirst().orElseThrow().getString("mountPath");
    assertEquals(mountPath + "/cluster.xml", clusterXml);
    assertEquals(List.of("--config", mountPath + "/turnpike.json"), container.getJsonArray("args").getList());
    assertEquals("turnpike-config", pod.getJsonArray("volumes").stream().map(JsonObject.class::cast)
        .filter(v -> v.getString("name").equals("config")).findFirst().orElseThrow()
        .getJsonObject("configMap").getString("name"));
    assertEquals(yaml("secret.example.yaml").get(0).getJsonObject("metadata").getString("name"),
        container.getJsonArray("envFrom").getJsonObject(0).getJsonObject("secretRef").getString("name"));
    // Hazelcast and the event bus on the pod IP.
    for (String variable : List.of("TURNPIKE_CLUSTER_INTERFACE", "TURNPIKE_EVENTBUS_HOST")) {
      JsonObject entry = container.getJsonArray("env").stream().map(JsonObject.class::cast)
          .filter(e -> e.getString("name").equals(variable)).findFirst().orElseThrow();
      assertEquals("status.podIP", entry.getJsonObject("valueFrom").getJsonObject("fieldRef")
          .getString("fieldPath"), variable);
    }
    assertEquals("/health/ready", container.getJsonObject("readinessProbe").getJsonObject("httpGet")
        .getString("path"));
    assertEquals("/health/live", container.getJsonObject("livenessProbe").getJsonObject("httpGet")
        .getString("path"));
    assertEquals(3, deployment.getJsonObject("spec").getInteger("replicas"));
    // A rolling restart drains: the preStop sleep and the drain must fit in the grace period before SIGKILL.
    int preStopSeconds = Integer.parseInt(String.valueOf(container.getJsonObject("lifecycle").getJsonObject("preStop")
        .getJsonObject("exec").getJsonArray("command").getValue(1)));
    int drainSeconds = config.getJsonObject("server").getInteger("drain_seconds");
    assertTrue(preStopSeconds + drainSeconds < pod.getInteger("terminationGracePeriodSeconds"),
        "preStop " + preStopSeconds + " s + drain " + drainSeconds + " s must fit in the grace period");
    // Both services select the deployment's pods.
    JsonObject labels = deployment.getJsonObject("spec").getJsonObject("template").getJsonObject("metadata")
        .getJsonObject("labels");
    for (String service : List.of("service.yaml", "service-headless.yaml")) {
      JsonObject selector = yaml(service).get(0).getJsonObject("spec").getJsonObject("selector");
      selector.forEach(e -> assertEquals(e.getValue(), labels.getValue(e.getKey()), service));
    }
    assertEquals(8080, yaml("service.yaml").get(0).getJsonObject("spec").getJsonArray("ports").getJsonObject(0)
        .getInteger("port"));
  }

  /** The documents of one file under k8s/. */
  @SuppressWarnings("unchecked")
  private static List<JsonObject> yaml(String file) {
    Path path = ROOT_CLUSTER_XML.resolveSibling("k8s").resolve(file);
    try (var parser = new YAMLFactory().createParser(path.toFile())) {
      ObjectMapper mapper = new ObjectMapper();
      List<JsonObject> documents = new java.util.ArrayList<>();
      mapper.readValues(parser, Map.class).forEachRemaining(d -> documents.add(new JsonObject(
          (Map<String, Object>) d)));
      return documents;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
