package dev.turnpike.governance.store;

import com.hazelcast.map.EntryLoader.MetadataAwareValue;
import com.hazelcast.map.EntryStore;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hazelcast's loader and write-behind writer of one map into {@link EntryTable}. Hazelcast calls it on its own
 * threads: {@code loadAllKeys}/{@code loadAll} when the cluster first creates the map (so a full restart finds
 * what was stored), {@code load} for a key missing from memory, {@code storeAll} with the changes of the last
 * write delay (one write per key however often it changed). An entry's time to live travels both ways.
 */
public final class DurableMap<V> implements EntryStore<String, V> {
  private static final System.Logger LOG = System.getLogger(DurableMap.class.getName());
  private final EntryTable table;
  private final String scope;
  private final String map;
  private final EntryCodec<V> codec;

  public DurableMap(EntryTable table, String scope, String map, EntryCodec<V> codec) {
    this.table = table;
    this.scope = scope;
    this.map = map;
    this.codec = codec;
  }

  @Override
  public MetadataAwareValue<V> load(String key) {
    return loadAll(List.of(key)).get(key);
  }

  @Override
  public Map<String, MetadataAwareValue<V>> loadAll(Collection<String> keys) {
    try {
      Map<String, MetadataAwareValue<V>> values = new HashMap<>();
      table.load(scope, map, keys).forEach((key, row) -> values.put(key, row.expiresAtMs() == null
          ? new MetadataAwareValue<>(codec.decode(row.value()))
          : new MetadataAwareValue<>(codec.decode(row.value()), row.expiresAtMs())));
      return values;
    } catch (SQLException e) {
      // Failing the operation is safer than answering "absent": a counter read as empty could be overspent.
      throw new IllegalStateException("store: cannot load " + map + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Iterable<String> loadAllKeys() {
    try {
      return table.keys(scope, map);
    } catch (SQLException e) {
      throw new IllegalStateException("store: cannot list " + map + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void store(String key, MetadataAwareValue<V> value) {
    storeAll(Map.of(key, value));
  }

  @Override
  public void storeAll(Map<String, MetadataAwareValue<V>> entries) {
    List<EntryTable.Row> rows = new ArrayList<>(entries.size());
    entries.forEach((key, value) -> rows.add(new EntryTable.Row(key, codec.encode(value.getValue()),
        expiry(value.getExpirationTime()))));
    try {
      table.upsert(scope, map, rows);
    } catch (SQLException e) {
      // Hazelcast keeps the entries queued and tries again.
      LOG.log(System.Logger.Level.WARNING, "store: cannot write {0} entries of {1}: {2}", rows.size(), map,
          e.getMessage());
      throw new IllegalStateException("store: cannot write " + map + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String key) {
    deleteAll(List.of(key));
  }

  @Override
  public void deleteAll(Collection<String> keys) {
    try {
      table.delete(scope, map, keys);
    } catch (SQLException e) {
      throw new IllegalStateException("store: cannot delete from " + map + ": " + e.getMessage(), e);
    }
  }

  private static Long expiry(long expirationTime) {
    return expirationTime == MetadataAwareValue.NO_TIME_SET || expirationTime <= 0
        || expirationTime == Long.MAX_VALUE ? null : expirationTime;
  }
}
