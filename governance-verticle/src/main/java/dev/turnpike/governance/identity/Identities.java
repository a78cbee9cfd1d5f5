package dev.turnpike.governance.identity;

import dev.turnpike.contract.Target;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured customers, teams and virtual keys (DESIGN: governance). Immutable: a change builds a new one.
 * Key values live here only as salted hashes.
 */
public final class Identities {
  public record Customer(String id, String name, BudgetSpec budget) {}

  public record Team(String id, String name, String customer, BudgetSpec budget) {}

  /**
   * @param expiresAt null when it never expires
   * @param allowedProviders empty: any
   * @param allowedModels {@code provider/model}, {@code provider/*} or a bare model name; empty: any
   * @param logContent whether the request log keeps this key's requests and answers ({@code log_content})
   */
  public record VirtualKey(String id, String name, String team, String customer, boolean disabled, Instant expiresAt,
                           Set<String> allowedProviders, Set<String> allowedModels, BudgetSpec budget,
                           RateLimitSpec rateLimit, boolean logContent) {
    public boolean mayUse(Target target) {
      if (!allowedProviders.isEmpty() && !allowedProviders.contains(target.provider())) {
        return false;
      }
      return allowedModels.isEmpty() || allowedModels.contains(target.qualifiedModel())
          || allowedModels.contains(target.provider() + "/*") || allowedModels.contains(target.model());
    }

    public boolean expired(Instant now) {
      return expiresAt != null && !now.isBefore(expiresAt);
    }
  }

  private final Map<String, Customer> customers;
  private final Map<String, Team> teams;
  private final Map<String, VirtualKey> keys;
  /** Hex of the salted hash of a key's value, to the key's id. */
  private final Map<String, String> idByHash;
  private final KeyHasher hasher;

  private Identities(Map<String, Customer> customers, Map<String, Team> teams, Map<String, VirtualKey> keys,
                     Map<String, String> idByHash, KeyHasher hasher) {
    this.customers = Map.copyOf(customers);
    this.teams = Map.copyOf(teams);
    this.keys = Map.copyOf(keys);
    this.idByHash = Map.copyOf(idByHash);
    this.hasher = hasher;
  }

  /** Reads {@code governance}; every problem found is added to {@code problems} (then the result is not to be used). */
  public static Identities parse(JsonObject governance, KeyHasher hasher, List<String> problems) {
    Map<String, Customer> customers = new LinkedHashMap<>();
    JsonArray customerList = list(governance, "customers", problems);
    for (int i = 0; i < customerList.size(); i++) {
      String path = "governance.customers[" + i + "]";
      JsonObject c = entry(customerList, i, path, problems);
      String id = id(c, path, customers.keySet(), problems);
      if (id != null) {
        checkKeys(c, path, Set.of("id", "name", "budget"), problems);
        customers.put(id, new Customer(id, c.getString("name", id), BudgetSpec.parse(c, path, problems)));
      }
    }
    Map<String, Team> teams = new LinkedHashMap<>();
    JsonArray teamList = list(governance, "teams", problems);
    for (int i = 0; i < teamList.size(); i++) {
      String path = "governance.teams[" + i + "]";
      JsonObject t = entry(teamList, i, path, problems);
      String id = id(t, path, teams.keySet(), problems);
      if (id != null) {
        checkKeys(t, path, Set.of("id", "name", "customer", "budget"), problems);
        String customer = t.getString("customer");
        if (customer != null && !customers.containsKey(customer)) {
          problems.add(path + ".customer '" + customer + "' is not in governance.customers");
        }
        teams.put(id, new Team(id, t.getString("name", id), customer, BudgetSpec.parse(t, path, problems)));
      }
    }
    Map<String, VirtualKey> keys = new LinkedHashMap<>();
    Map<String, String> idByHash = new HashMap<>();
    JsonArray keyList = list(governance, "virtual_keys", problems);
    for (int i = 0; i < keyList.size(); i++) {
      String path = "governance.virtual_keys[" + i + "]";
      JsonObject k = entry(keyList, i, path, problems);
      String id = id(k, path, keys.keySet(), problems);
      if (id == null) {
        continue;
      }
      checkKeys(k, path, Set.of("id", "name", "value", "value_hash", "team", "customer", "disabled", "expires_at",
          "allowed_providers", "allowed_models", "budget", "rate_limit", "log_content"), problems);
      if (k.getValue("log_content") != null && !(k.getValue("log_content") instanceof Boolean)) {
        problems.add(path + ".log_content must be true or false");
      }
      String value = k.getValue("value") instanceof String s ? s : null;
      // A key made through the admin API is stored only as its hash under the cluster's salt.
      String storedHash = k.getValue("value_hash") instanceof String h && h.matches("[0-9a-f]{64}") ? h : null;
      if ((value == null || value.isBlank()) && storedHash == null) {
        continue; // its environment variable is unset: nobody can present it (a public node checks there is one)
      }
      String team = k.getString("team");
      if (team != null && !teams.containsKey(team)) {
        problems.add(path + ".team '" + team + "' is not in governance.teams");
      }
      String customer = k.getString("customer", team != null && teams.containsKey(team) ? teams.get(team).customer() : null);
      if (customer != null && !customers.containsKey(customer)) {
        problems.add(path + ".customer '" + customer + "' is not in governance.customers");
      }
      Instant expires = null;
      if (k.getValue("expires_at") != null) {
        try {
          expires = Instant.parse(k.getString("expires_at"));
        } catch (DateTimeParseException | ClassCastException e) {
          problems.add(path + ".expires_at must be an ISO-8601 UTC time such as 2027-01-01T00:00:00Z");
        }
      }
      String hash = storedHash != null ? storedHash : hasher.hashHex(value);
      if (idByHash.containsKey(hash)) {
        problems.add(path + " has the same value as virtual key '" + idByHash.get(hash) + "'");
      }
      idByHash.put(hash, id);
      keys.put(id, new VirtualKey(id, k.getString("name", id), team, customer, Boolean.TRUE.equals(k.getValue("disabled")),
          expires, strings(k, "allowed_providers", path, problems), strings(k, "allowed_models", path, problems),
          BudgetSpec.parse(k, path, problems), RateLimitSpec.parse(k, path, problems),
          Boolean.TRUE.equals(k.getValue("log_content"))));
    }
    return new Identities(customers, teams, keys, idByHash, hasher);
  }

  /** The key whose value is {@code credential}, or null. Disabled and expired keys are returned: the caller says why it refuses. */
  public VirtualKey byValue(String credential) {
    if (credential == null) {
      return null;
    }
    String id = idByHash.get(hasher.hashHex(credential));
    return id == null ? null : keys.get(id);
  }

  public VirtualKey key(String id) {
    return id == null ? null : keys.get(id);
  }

  public Team team(String id) {
    return id == null ? null : teams.get(id);
  }

  public Customer customer(String id) {
    return id == null ? null : customers.get(id);
  }

  public java.util.Collection<Customer> customers() {
    return customers.values();
  }

  public java.util.Collection<Team> teams() {
    return teams.values();
  }

  public java.util.Collection<VirtualKey> keys() {
    return keys.values();
  }

  private static JsonArray list(JsonObject governance, String field, List<String> problems) {
    Object value = governance.getValue(field);
    if (value == null) {
      return new JsonArray();
    }
    if (value instanceof JsonArray array) {
      return array;
    }
    problems.add("governance." + field + " must be a list");
    return new JsonArray();
  }

  private static JsonObject entry(JsonArray list, int i, String path, List<String> problems) {
    if (list.getValue(i) instanceof JsonObject object) {
      return object;
    }
    problems.add(path + " must be an object");
    return new JsonObject();
  }

  private static String id(JsonObject entry, String path, Set<String> seen, List<String> problems) {
    if (!(entry.getValue("id") instanceof String id) || id.isBlank()) {
      problems.add(path + " needs an id");
      return null;
    }
    if (seen.contains(id)) {
      problems.add(path + ": id '" + id + "' is used twice");
      return null;
    }
    return id;
  }

  private static void checkKeys(JsonObject entry, String path, Set<String> known, List<String> problems) {
    for (String key : entry.fieldNames()) {
      if (!known.contains(key)) {
        problems.add(path + "." + key + " is not a known setting (known here: "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static Set<String> strings(JsonObject entry, String field, String path, List<String> problems) {
    Object value = entry.getValue(field);
    if (value == null) {
      return Set.of();
    }
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof String s && !s.isBlank()) {
          out.add(s);
        } else {
          problems.add(path + "." + field + " must be a list of names");
          return Set.of();
        }
      }
      return Set.copyOf(out);
    }
    problems.add(path + "." + field + " must be a list of names");
    return Set.of();
  }
}
