package dev.turnpike.contract.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's configuration (ARCHITECTURE.md §5), immutable. Verticles receive the resolved JSON as their deployment
 * config and call {@link #fromJson}; sections that belong to one verticle (governance) stay JSON here and that
 * verticle parses them.
 */
public record GatewayConfig(ServerConfig server, Timeouts timeouts, RetryPolicy retries,
                            Map<String, ProviderConfig> providers, Map<String, List<String>> fallbacks,
                            JsonObject governance, String adminToken, RequestLogConfig requestLog,
                            MetricsConfig metrics, TracingConfig tracing, JsonObject raw) {

  public static GatewayConfig fromJson(JsonObject json) {
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    JsonObject providerJson = json.getJsonObject("providers", new JsonObject());
    for (String name : providerJson.fieldNames()) {
      providers.put(name, ProviderConfig.fromJson(name, providerJson.getJsonObject(name)));
    }
    Map<String, List<String>> fallbacks = new LinkedHashMap<>();
    JsonObject fallbackJson = json.getJsonObject("fallbacks", new JsonObject());
    for (String pattern : fallbackJson.fieldNames()) {
      List<String> targets = new ArrayList<>();
      fallbackJson.getJsonArray(pattern, new JsonArray()).forEach(t -> targets.add(String.valueOf(t)));
      fallbacks.put(pattern, List.copyOf(targets));
    }
    String adminToken = json.getJsonObject("admin", new JsonObject()).getString("token");
    return new GatewayConfig(ServerConfig.fromJson(json.getJsonObject("server")),
        Timeouts.fromJson(json.getJsonObject("timeouts")), RetryPolicy.fromJson(json.getJsonObject("retries")),
        Collections.unmodifiableMap(providers),
        Collections.unmodifiableMap(fallbacks), json.getJsonObject("governance", new JsonObject()),
        adminToken == null || adminToken.isEmpty() ? null : adminToken,
        // Checked when the config was loaded; problems found again here were reported then.
        RequestLogConfig.fromJson(json, new ArrayList<>()), MetricsConfig.fromJson(json, new ArrayList<>()),
        TracingConfig.fromJson(json, new ArrayList<>()), json);
  }

  public ProviderConfig provider(String name) {
    return providers.get(name);
  }
}
