package dev.turnpike.contract.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's configuration (DESIGN §5), immutable. Verticles receive the resolved JSON as their deployment
 * config and call {@link #fromJson}; sections that belong to one verticle (routing rules, governance, pricing)
 * stay JSON here and that verticle parses them.
 */
public record GatewayConfig(String host, int port, long maxBodyBytes, Timeouts timeouts,
                            Map<String, ProviderConfig> providers, Map<String, List<String>> fallbacks,
                            JsonArray routingRules, JsonObject governance, JsonObject pricing, JsonObject raw) {
  public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;

  public static GatewayConfig fromJson(JsonObject json) {
    JsonObject server = json.getJsonObject("server", new JsonObject());
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
    return new GatewayConfig(server.getString("host", "0.0.0.0"), server.getInteger("port", 8080),
        server.getLong("max_body_bytes", DEFAULT_MAX_BODY_BYTES), Timeouts.fromJson(json.getJsonObject("timeouts")),
        Collections.unmodifiableMap(providers), Collections.unmodifiableMap(fallbacks),
        json.getJsonArray("routing_rules", new JsonArray()), json.getJsonObject("governance", new JsonObject()),
        json.getJsonObject("pricing", new JsonObject()), json);
  }

  public ProviderConfig provider(String name) {
    return providers.get(name);
  }
}
