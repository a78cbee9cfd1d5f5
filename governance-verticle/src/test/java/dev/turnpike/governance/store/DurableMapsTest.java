package dev.turnpike.governance.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.turnpike.governance.UsageTotals;
import dev.turnpike.governance.limits.AcquireProcessor;
import dev.turnpike.governance.limits.CommitProcessor;
import dev.turnpike.governance.limits.SharedCounter;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster of one member stops and a new one starts on the same store: what was written is back. */
class DurableMapsTest {
  private static final DurableMaps MAPS = new DurableMaps(Map.of("t.counters", EntryCodec.COUNTER,
      "t.usage", EntryCodec.USAGE, "t.rules", EntryCodec.TEXT));
  @TempDir
  Path dir;
  private String schema;

  @AfterEach
  void dropSchema() {
    TestStores.dropSchema(schema);
  }

  @Test
  void should_find_counters_usage_and_rules_after_a_full_restart_on_the_embedded_store() {
    assertSurvivesRestart(TestStores.embedded(dir));
  }

  @Test
  void should_find_counters_usage_and_rules_after_a_full_restart_on_postgres() {
    schema = TestStores.freshPostgresSchema();
    assertSurvivesRestart(TestStores.postgres(schema));
  }

  @Test
  void should_keep_clusters_sharing_one_store_apart() {
    StoreSettings settings = TestStores.embedded(dir);
    HazelcastInstance a = member(settings, "cluster-a");
    a.<String, String>getMap("t.rules").put("current", "[\"a\"]");
    MAPS.flush(a);
    a.shutdown();
    HazelcastInstance b = member(settings, "cluster-b");
    try {
      assertNull(b.<String, String>getMap("t.rules").get("current"));
    } finally {
      b.shutdown();
    }
  }

  private void assertSurvivesRestart(StoreSettings settings) {
    String cluster = "durable-" + UUID.randomUUID();
    long now = System.currentTimeMillis();
    long windowEnds = now + 3_600_000;
    HazelcastInstance first = member(settings, cluster);
    try {
      IMap<String, SharedCounter> counters = first.getMap("t.counters");
      counters.submitToKey("vk:a:1d", new AcquireProcessor("node-1", 1_000, 100, 0, 10_000, windowEnds))
          .toCompletableFuture().join();
      counters.submitToKey("vk:a:1d", new CommitProcessor("node-1", 70, 0, 10_000, windowEnds))
          .toCompletableFuture().join();
      first.<String, UsageTotals>getMap("t.usage").put("vk:a", new UsageTotals(3, 30, 40, 5, 6));
      first.<String, String>getMap("t.rules").put("current", "[{\"name\":\"r\"}]");
      MAPS.flush(first);
    } finally {
      first.shutdown();
    }

    HazelcastInstance second = member(settings, cluster);
    try {
      IMap<String, SharedCounter> counters = second.getMap("t.counters");
      SharedCounter counter = counters.get("vk:a:1d");
      assertEquals(70, counter.spent(), "the settled spend is back");
      assertEquals(30, counter.leases().get("node-1").amount(), "the lease is back, to expire in its own time");
      long expires = counters.getEntryView("vk:a:1d").getExpirationTime();
      assertTrue(Math.abs(expires - windowEnds) < 2_000, "the window's end travels with it: " + expires);
      assertEquals(new UsageTotals(3, 30, 40, 5, 6), second.<String, UsageTotals>getMap("t.usage").get("vk:a"));
      assertEquals("[{\"name\":\"r\"}]", second.<String, String>getMap("t.rules").get("current"));
    } finally {
      second.shutdown();
    }
  }

  private static HazelcastInstance member(StoreSettings settings, String cluster) {
    Config config = new Config().setClusterName(cluster);
    // As in cluster.xml: one wildcard entry matching every durable map, which must not end up sharing one store.
    config.addMapConfig(new com.hazelcast.config.MapConfig("t.*").setBackupCount(1));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.getNetworkConfig().setPort(5801).setPortAutoIncrement(true).getInterfaces().setEnabled(true)
        .addInterface("127.0.0.1");
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(false);
    Database database = Database.open(settings, "test");
    MAPS.attach(config, database, cluster);
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    member.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.SHUTDOWN) {
        database.close();
      }
    });
    MAPS.load(member);
    return member;
  }
}
