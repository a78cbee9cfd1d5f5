package dev.turnpike.governance;

import dev.turnpike.contract.Admission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The configured virtual keys by value, with the team and customer each belongs to. Values arrive already
 * resolved from {@code env.NAME}; they are only compared, never logged.
 */
public final class VirtualKeys {
  private final Map<String, Admission> byValue;

  private VirtualKeys(Map<String, Admission> byValue) {
    this.byValue = Map.copyOf(byValue);
  }

  public static VirtualKeys fromGovernanceJson(JsonObject governance) {
    Map<String, String> customerOfTeam = new HashMap<>();
    for (Object team : governance.getJsonArray("teams", new JsonArray())) {
      JsonObject t = (JsonObject) team;
      customerOfTeam.put(t.getString("id"), t.getString("customer"));
    }
    Map<String, Admission> byValue = new HashMap<>();
    for (Object key : governance.getJsonArray("virtual_keys", new JsonArray())) {
      JsonObject k = (JsonObject) key;
      String value = k.getString("value");
      if (value != null && !value.isEmpty() && !k.getBoolean("disabled", false)) {
        String team = k.getString("team");
        String customer = k.getString("customer", team == null ? null : customerOfTeam.get(team));
        byValue.put(value, new Admission(k.getString("id"), k.getString("id"), team, customer));
      }
    }
    return new VirtualKeys(byValue);
  }

  /** The admission for this credential, or null when it is no configured virtual key. */
  public Admission lookup(String credential) {
    return credential == null ? null : byValue.get(credential);
  }
}
