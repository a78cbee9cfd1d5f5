package dev.turnpike.governance.store;

import dev.turnpike.governance.UsageTotals;
import dev.turnpike.governance.limits.SharedCounter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** How a durable map's values are written as JSON text and read back. */
public interface EntryCodec<V> {
  String encode(V value);

  V decode(String text);

  /** Identities and routing rules are JSON text already. */
  EntryCodec<String> TEXT = new EntryCodec<>() {
    @Override
    public String encode(String value) {
      return value;
    }

    @Override
    public String decode(String text) {
      return text;
    }
  };

  /**
   * A counter with its leases: after a full restart the leases' holders are gone and they expire within their
   * time to live; after the loss of a partition's every copy, a live node's lease is still counted.
   */
  EntryCodec<SharedCounter> COUNTER = new EntryCodec<>() {
    @Override
    public String encode(SharedCounter counter) {
      JsonObject leases = new JsonObject();
      counter.leases().forEach((node, lease) -> leases.put(node, new JsonArray().add(lease.amount())
          .add(lease.expiresAtMs())));
      return new JsonObject().put("spent", counter.spent()).put("leases", leases).encode();
    }

    @Override
    public SharedCounter decode(String text) {
      JsonObject json = new JsonObject(text);
      Map<String, SharedCounter.Lease> leases = new HashMap<>();
      JsonObject stored = json.getJsonObject("leases", new JsonObject());
      for (String node : stored.fieldNames()) {
        JsonArray lease = stored.getJsonArray(node);
        leases.put(node, new SharedCounter.Lease(lease.getLong(0), lease.getLong(1)));
      }
      return new SharedCounter(json.getLong("spent", 0L), leases);
    }
  };

  EntryCodec<UsageTotals> USAGE = new EntryCodec<>() {
    @Override
    public String encode(UsageTotals totals) {
      return totals.toJson().encode();
    }

    @Override
    public UsageTotals decode(String text) {
      JsonObject json = new JsonObject(text);
      return new UsageTotals(json.getLong("requests", 0L), json.getLong("input_tokens", 0L),
          json.getLong("output_tokens", 0L), json.getLong("cache_read_input_tokens", 0L),
          json.getLong("cache_creation_input_tokens", 0L));
    }
  };
}
