package dev.turnpike.governance;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;

/** Usage counters in the cluster-wide {@code turnpike.usage} map; {@code cluster.xml} gives it one sync backup. */
public final class HazelcastUsageStore implements UsageStore {
  public static final String MAP_NAME = "turnpike.usage";
  private final IMap<String, UsageTotals> map;
  private final Context context;

  public HazelcastUsageStore(HazelcastInstance hazelcast, Context context) {
    this.map = hazelcast.getMap(MAP_NAME);
    this.context = context;
  }

  @Override
  public Future<Void> add(String key, UsageTotals delta) {
    return Future.fromCompletionStage(map.submitToKey(key, new AddUsageProcessor(delta)), context);
  }

  @Override
  public Future<Map<String, UsageTotals>> snapshot() {
    return context.executeBlocking(() -> new HashMap<>(map), false);
  }
}
