package dev.turnpike.governance.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The identities changed through the admin API, laid over the config file's: entries {@code customer/<id>},
 * {@code team/<id>} and {@code vk/<id>} whose value is the whole entity as the config would write it (a key with
 * {@code value_hash} instead of {@code value}), or {@code {"deleted": true}}. An entry replaces the file's entity of
 * the same id; a key entry without {@code value_hash} keeps the file's value (disabling a file key leaves its value).
 */
public final class IdentityOverlay {
  public enum Kind {
    CUSTOMER("customer", "customers"), TEAM("team", "teams"), VIRTUAL_KEY("vk", "virtual_keys");

    private final String prefix;
    private final String section;

    Kind(String prefix, String section) {
      this.prefix = prefix;
      this.section = section;
    }

    public String key(String id) {
      return prefix + "/" + id;
    }

    public String section() {
      return section;
    }

    /** The kind of an overlay entry's key, or null for entries that are not identities (the salt). */
    public static Kind of(String key) {
      for (Kind kind : values()) {
        if (key.startsWith(kind.prefix + "/")) {
          return kind;
        }
      }
      return null;
    }

    public String idOf(String key) {
      return key.substring(prefix.length() + 1);
    }
  }

  public static final JsonObject DELETED = new JsonObject().put("deleted", true);

  private IdentityOverlay() {}

  /** {@code governance} with {@code overlay} laid over it; the file's order first, entities the API added after. */
  public static JsonObject merge(JsonObject governance, Map<String, String> overlay) {
    JsonObject merged = governance.copy();
    for (Kind kind : Kind.values()) {
      Map<String, JsonObject> byId = new LinkedHashMap<>();
      JsonArray fromFile = governance.getValue(kind.section()) instanceof JsonArray list ? list : new JsonArray();
      for (Object entry : fromFile) {
        if (entry instanceof JsonObject entity && entity.getValue("id") instanceof String id) {
          byId.put(id, entity);
        }
      }
      for (Map.Entry<String, String> change : new java.util.TreeMap<>(overlay).entrySet()) {
        if (Kind.of(change.getKey()) != kind) {
          continue;
        }
        String id = kind.idOf(change.getKey());
        JsonObject entity = new JsonObject(change.getValue());
        if (entity.getBoolean("deleted", false)) {
          byId.remove(id);
          continue;
        }
        JsonObject file = byId.get(id);
        if (kind == Kind.VIRTUAL_KEY && !entity.containsKey("value_hash") && file != null
            && file.getValue("value") != null) {
          entity.put("value", file.getValue("value"));
        }
        byId.put(id, entity.put("id", id));
      }
      if (!byId.isEmpty() || merged.containsKey(kind.section())) {
        merged.put(kind.section(), new JsonArray(new java.util.ArrayList<>(byId.values())));
      }
    }
    return merged;
  }
}
