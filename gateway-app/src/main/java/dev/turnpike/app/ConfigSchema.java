package dev.turnpike.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which keys each config section may hold. A key the node does not implement is a problem, never silently
 * ignored: a budget that is accepted and not enforced is worse than a node that refuses to start. Sections that
 * check their own keys ({@code store}, {@code request_log}, {@code metrics}, {@code tracing},
 * {@code bedrock}) are not listed here.
 */
final class ConfigSchema {
  private static final Map<String, Set<String>> KNOWN = Map.ofEntries(
      Map.entry("", Set.of("server", "cluster", "timeouts", "retries", "breakers", "affinity", "providers",
          "fallbacks", "governance", "admin", "aliases", "routing_rules", "pricing", "store", "request_log", "metrics",
          "tracing", "bedrock")),
      Map.entry("affinity", Set.of("enabled", "ttl_seconds")),
      Map.entry("breakers", Set.of("enabled", "per_model", "consecutive_failures", "failure_rate", "min_requests",
          "window_ms", "cooldown_ms")),
      Map.entry("retries", Set.of("max_retries", "initial_backoff_ms", "max_backoff_ms", "retry_after_max_ms")),
      Map.entry("server", Set.of("host", "port", "event_loops", "max_in_flight", "max_body_bytes",
          "max_body_bytes_in_flight", "max_header_bytes", "header_timeout_ms", "body_timeout_ms", "keepalive_timeout_ms", "drain_seconds",
          "max_answer_bytes", "max_event_bytes")),
      Map.entry("cluster", Set.of("enabled", "config", "name", "members", "interface", "port", "event_bus_host",
          "min_members")),
      Map.entry("timeouts", Set.of("connect_ms", "first_byte_ms", "idle_ms", "paused_ms", "internal_ms",
          "reservation_wait_ms")),
      Map.entry("provider", Set.of("dialect", "base_url", "keys", "models", "rate_limit", "region", "project", "aws",
          "google", "deployments", "api_version", "converse_models", "capabilities")),
      Map.entry("provider aws", Set.of("access_key_id", "secret_access_key", "session_token")),
      Map.entry("provider google", Set.of("credentials_file", "credentials_json", "token_url")),
      Map.entry("provider key", Set.of("value", "weight", "models")),
      // Customers, teams and virtual keys are checked entry by entry where governance reads them.
      Map.entry("governance", Set.of("enforce_virtual_keys", "allow_anonymous", "virtual_keys", "teams", "customers",
          "default_price")),
      Map.entry("admin", Set.of("token")));

  private ConfigSchema() {}

  static void check(JsonObject config, List<String> problems) {
    keys(config, "", "", problems);
    section(config, "server", problems);
    section(config, "cluster", problems);
    section(config, "timeouts", problems);
    section(config, "retries", problems);
    section(config, "breakers", problems);
    section(config, "affinity", problems);
    section(config, "admin", problems);
    if (config.getValue("providers") instanceof JsonObject providers) {
      for (String name : providers.fieldNames()) {
        if (providers.getValue(name) instanceof JsonObject provider) {
          keys(provider, "provider", "providers." + name, problems);
          entries(provider.getValue("keys"), "provider key", "providers." + name + ".keys", problems);
          for (String cloud : new String[] {"aws", "google"}) {
            if (provider.getValue(cloud) instanceof JsonObject settings) {
              keys(settings, "provider " + cloud, "providers." + name + "." + cloud, problems);
            }
          }
        }
      }
    }
    if (config.getValue("governance") instanceof JsonObject governance) {
      keys(governance, "governance", "governance", problems);
    }
  }

  private static void section(JsonObject config, String name, List<String> problems) {
    if (config.getValue(name) instanceof JsonObject section) {
      keys(section, name, name, problems);
    }
  }

  private static void entries(Object list, String kind, String path, List<String> problems) {
    if (!(list instanceof JsonArray array)) {
      return;
    }
    for (int i = 0; i < array.size(); i++) {
      if (array.getValue(i) instanceof JsonObject entry) {
        keys(entry, kind, path + "[" + i + "]", problems);
      }
    }
  }

  private static void keys(JsonObject object, String kind, String path, List<String> problems) {
    Set<String> known = KNOWN.get(kind);
    for (String key : object.fieldNames()) {
      if (known.contains(key)) {
        continue;
      }
      String where = path.isEmpty() ? key : path + "." + key;
      problems.add(where + " is not a known setting (known here: " + String.join(", ", known.stream().sorted()
          .toList()) + ")");
    }
  }
}
