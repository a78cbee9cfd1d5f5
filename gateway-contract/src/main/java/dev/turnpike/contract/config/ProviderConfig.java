package dev.turnpike.contract.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One configured upstream. "OpenAI-compatible" servers (Groq, Mistral, vLLM, ...) are this record with dialect
 * {@code openai} and their own {@code base_url}: configuration, not code.
 *
 * @param keys already resolved (no {@code env.} references left); never logged
 * @param models model names to advertise in {@code /v1/models}
 */
public record ProviderConfig(String name, String dialect, String baseUrl, List<ProviderKey> keys, List<String> models) {
  public ProviderConfig {
    keys = List.copyOf(keys);
    models = List.copyOf(models);
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  public static ProviderConfig fromJson(String name, JsonObject json) {
    List<ProviderKey> keys = new ArrayList<>();
    JsonArray keyArray = json.getJsonArray("keys", new JsonArray());
    for (int i = 0; i < keyArray.size(); i++) {
      Object entry = keyArray.getValue(i);
      if (entry instanceof JsonObject key) {
        String value = key.getString("value");
        if (value != null && !value.isEmpty()) {
          List<String> keyModels = new ArrayList<>();
          key.getJsonArray("models", new JsonArray()).forEach(m -> keyModels.add(String.valueOf(m)));
          keys.add(new ProviderKey(value, key.getNumber("weight", 1).doubleValue(), keyModels));
        }
      } else if (entry instanceof String value && !value.isEmpty()) {
        keys.add(new ProviderKey(value, 1, List.of()));
      }
    }
    List<String> models = new ArrayList<>();
    json.getJsonArray("models", new JsonArray()).forEach(m -> models.add(String.valueOf(m)));
    return new ProviderConfig(name, json.getString("dialect", name), json.getString("base_url", ""), keys, models);
  }

  /**
   * A provider credential with its share of traffic and the models it may serve (empty: any);
   * {@link #toString()} hides the value.
   */
  public record ProviderKey(String value, double weight, List<String> models) {
    public ProviderKey {
      models = List.copyOf(models);
    }

    public boolean serves(String model) {
      return models.isEmpty() || models.contains(model);
    }

    @Override
    public String toString() {
      return "ProviderKey[***, weight=" + weight + ", models=" + models + "]";
    }
  }
}
