package dev.turnpike.router;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.json.JsonArray;
import java.util.function.Consumer;

/**
 * The run-time rule set in the cluster-wide map {@code turnpike.routing-rules} (one entry, the rules as JSON text):
 * a node applies it when it joins and whenever it changes. It lasts as long as the cluster; after a full restart
 * the config file's rules apply again.
 */
public final class HazelcastRulesStore implements RulesStore {
  public static final String MAP_NAME = "turnpike.routing-rules";
  private static final String KEY = "current";
  private final IMap<String, String> map;

  public HazelcastRulesStore(HazelcastInstance hazelcast) {
    this.map = hazelcast.getMap(MAP_NAME);
  }

  @Override
  public JsonArray current() {
    String json = map.get(KEY);
    return json == null ? null : new JsonArray(json);
  }

  /** Asynchronous: the admin API's caller is on an event loop; every node, this one too, applies it on the event. */
  @Override
  public void publish(JsonArray rules) {
    map.setAsync(KEY, rules.encode());
  }

  @Override
  public void listen(Consumer<JsonArray> listener) {
    map.addEntryListener(new Listener(listener), true);
  }

  private record Listener(Consumer<JsonArray> listener) implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      listener.accept(new JsonArray(event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      listener.accept(new JsonArray(event.getValue()));
    }
  }
}
