package dev.turnpike.contract.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configured upstream. "OpenAI-compatible" servers (Groq, Mistral, vLLM, ...) are this record with dialect
 * {@code openai} and their own {@code base_url}: configuration, not code. Cloud dialects add where they run
 * ({@code region}, {@code project}) and their own credentials ({@code aws}, {@code google}); their
 * {@code base_url} defaults to the region's public endpoint.
 *
 * @param keys already resolved (no {@code env.} references left); never logged
 * @param models model names to advertise in {@code /v1/models}
 * @param region AWS or Google Cloud region, or null
 * @param project Google Cloud project id (Vertex), or null
 * @param aws AWS credentials for SigV4 (Bedrock without an API key), or null
 * @param google a service account whose tokens Vertex accepts, or null
 * @param deployments the upstream's own name for a model where it differs (Azure deployments); never null
 * @param apiVersion the API version an upstream takes with every call (Azure OpenAI's {@code api-version}), or
 *     null for the dialect's default
 * @param converseModels Bedrock model ids this provider calls through the Converse API although the id alone would
 *     pick InvokeModel (an application inference profile ARN of a Llama model, say); empty for other dialects
 */
public record ProviderConfig(String name, String dialect, String baseUrl, List<ProviderKey> keys, List<String> models,
                             String region, String project, AwsKeys aws, GoogleAccount google,
                             Map<String, String> deployments, String apiVersion,
                             List<String> converseModels) {
  public ProviderConfig {
    keys = List.copyOf(keys);
    models = List.copyOf(models);
    deployments = deployments == null ? Map.of() : Map.copyOf(deployments);
    converseModels = converseModels == null ? List.of() : List.copyOf(converseModels);
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  public ProviderConfig(String name, String dialect, String baseUrl, List<ProviderKey> keys, List<String> models) {
    this(name, dialect, baseUrl, keys, models, null, null, null, null, Map.of(), null, List.of());
  }

  /** The name the upstream knows {@code model} by: its deployment when one is configured, else the model itself. */
  public String deploymentOf(String model) {
    return deployments.getOrDefault(model, model);
  }

  /** The public endpoint of a dialect (of a cloud dialect, in {@code region}), or "" where there is none to assume. */
  public static String defaultBaseUrl(String dialect, String region) {
    if ("cohere".equals(dialect)) {
      return "https://api.cohere.com"; // one global endpoint, no region
    }
    if ("gemini".equals(dialect)) {
      return "https://generativelanguage.googleapis.com"; // Google AI Studio: one global endpoint
    }
    if (region == null || region.isBlank()) {
      return "";
    }
    return switch (dialect) {
      case "bedrock" -> "https://bedrock-runtime." + region + ".amazonaws.com";
      case "vertex" -> "global".equals(region) ? "https://aiplatform.googleapis.com"
          : "https://" + region + "-aiplatform.googleapis.com";
      default -> "";
    };
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
    String dialect = json.getString("dialect", name);
    String region = blankToNull(json.getString("region"));
    String baseUrl = json.getString("base_url", defaultBaseUrl(dialect, region));
    List<String> converseModels = new ArrayList<>();
    json.getJsonArray("converse_models", new JsonArray()).forEach(m -> converseModels.add(String.valueOf(m)));
    return new ProviderConfig(name, dialect, baseUrl, keys, models, region, blankToNull(json.getString("project")),
        AwsKeys.fromJson(json.getJsonObject("aws")), GoogleAccount.fromJson(json.getJsonObject("google")),
        deployments(json.getValue("deployments")),
        json.getValue("api_version") instanceof String version ? blankToNull(version) : null, converseModels);
  }

  /** Model to deployment; entries that are not non-blank strings are left out (the config check reports them). */
  private static Map<String, String> deployments(Object value) {
    Map<String, String> deployments = new LinkedHashMap<>();
    if (value instanceof JsonObject object) {
      for (String model : object.fieldNames()) {
        if (object.getValue(model) instanceof String deployment && !deployment.isBlank()) {
          deployments.put(model, deployment);
        }
      }
    }
    return deployments;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** Static AWS credentials; {@link #toString()} shows none of them. */
  public record AwsKeys(String accessKeyId, String secretAccessKey, String sessionToken) {
    static AwsKeys fromJson(JsonObject json) {
      if (json == null) {
        return null;
      }
      return new AwsKeys(blankToNull(json.getString("access_key_id")),
          blankToNull(json.getString("secret_access_key")), blankToNull(json.getString("session_token")));
    }

    @Override
    public String toString() {
      return "AwsKeys[***]";
    }
  }

  /**
   * A Google service account key, as its JSON text or the path of its file, and the token endpoint to mint access
   * tokens at (null: the one the key names); {@link #toString()} shows no key material.
   */
  public record GoogleAccount(String credentialsJson, String credentialsFile, String tokenUrl) {
    static GoogleAccount fromJson(JsonObject json) {
      if (json == null) {
        return null;
      }
      return new GoogleAccount(blankToNull(json.getString("credentials_json")),
          blankToNull(json.getString("credentials_file")), blankToNull(json.getString("token_url")));
    }

    @Override
    public String toString() {
      return "GoogleAccount[file=" + credentialsFile + ", tokenUrl=" + tokenUrl + "]";
    }
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
