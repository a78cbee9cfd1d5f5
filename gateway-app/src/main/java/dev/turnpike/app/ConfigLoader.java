package dev.turnpike.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.ServerConfig;
import dev.turnpike.router.Routing;
import dev.turnpike.governance.GovernancePolicy;
import dev.turnpike.governance.identity.KeyHasher;
import dev.turnpike.governance.store.StoreSettings;
import dev.turnpike.provider.Dialects;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.turnpike.contract.config.BedrockSurfaceConfig;
import dev.turnpike.contract.config.MetricsConfig;
import dev.turnpike.contract.config.RequestLogConfig;
import dev.turnpike.contract.config.TracingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads {@code turnpike.json} (or YAML of the same shape), or builds the embedded defaults, resolves
 * {@code "env.NAME"} values and validates the result. Every problem is reported, not just the first.
 */
public final class ConfigLoader {
  static final List<String> SUPPORTED_DIALECTS = Dialects.names();
  private static final String ENV_PREFIX = "env.";

  /** Providers the embedded defaults know: name, dialect, base URL, key variable. Added when the key is set. */
  private static final List<String[]> KNOWN_PROVIDERS = List.of(
      new String[] {"anthropic", "anthropic", "https://api.anthropic.com", "ANTHROPIC_API_KEY"},
      new String[] {"openai", "openai", "https://api.openai.com", "OPENAI_API_KEY"},
      new String[] {"groq", "openai", "https://api.groq.com/openai", "GROQ_API_KEY"},
      new String[] {"mistral", "openai", "https://api.mistral.ai", "MISTRAL_API_KEY"},
      new String[] {"deepseek", "openai", "https://api.deepseek.com", "DEEPSEEK_API_KEY"},
      new String[] {"xai", "openai", "https://api.x.ai", "XAI_API_KEY"},
      new String[] {"together", "openai", "https://api.together.xyz", "TOGETHER_API_KEY"},
      new String[] {"fireworks", "openai", "https://api.fireworks.ai/inference", "FIREWORKS_API_KEY"},
      new String[] {"openrouter", "openai", "https://openrouter.ai/api", "OPENROUTER_API_KEY"},
      new String[] {"cohere", "cohere", "https://api.cohere.com", "CO_API_KEY"},
      new String[] {"gemini", "gemini", "https://generativelanguage.googleapis.com", "GEMINI_API_KEY"});

  private final Function<String, String> env;

  public ConfigLoader(Function<String, String> env) {
    this.env = env;
  }

  public static ConfigLoader fromSystemEnvironment() {
    return new ConfigLoader(System::getenv);
  }

  /** Loads {@code file} (or the defaults when null), applies {@code portOverride} when not null, validates. */
  public JsonObject load(Path file, Integer portOverride) {
    JsonObject config = file == null ? defaults() : read(file);
    if (portOverride != null) {
      config.put("server", config.getJsonObject("server", new JsonObject()).copy().put("port", portOverride));
    }
    return prepare(config);
  }

  /** Resolves environment references and validates a config given as JSON. */
  public JsonObject prepare(JsonObject config) {
    List<String> problems = new ArrayList<>();
    JsonObject resolved = (JsonObject) resolve(config.copy(), "", problems);
    validate(resolved, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return resolved;
  }

  /**
   * Port 8080 on loopback, a single-node cluster on loopback, providers from the usual key variables,
   * governance off: a developer's own gateway, reachable from no other machine.
   */
  public JsonObject defaults() {
    JsonObject providers = new JsonObject();
    for (String[] known : KNOWN_PROVIDERS) {
      boolean alwaysPresent = known[0].equals("anthropic") || known[0].equals("openai");
      if (alwaysPresent || env.apply(known[3]) != null) {
        JsonArray keys = env.apply(known[3]) == null ? new JsonArray()
            : new JsonArray().add(new JsonObject().put("value", ENV_PREFIX + known[3]));
        providers.put(known[0], new JsonObject().put("dialect", known[1]).put("base_url", known[2])
            .put("keys", keys));
      }
    }
    JsonObject admin = env.apply("TURNPIKE_ADMIN_TOKEN") == null ? new JsonObject()
        : new JsonObject().put("token", ENV_PREFIX + "TURNPIKE_ADMIN_TOKEN");
    return new JsonObject()
        .put("server", new JsonObject().put("host", ServerConfig.DEFAULT_HOST).put("port", 8080))
        .put("admin", admin)
        .put("cluster", new JsonObject().put("enabled", true).put("config", "cluster.xml"))
        .put("providers", providers)
        .put("governance", new JsonObject().put("enforce_virtual_keys", false));
  }

  private static JsonObject read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(List.of("Cannot read config file " + file + ": " + e.getMessage()));
    }
    String name = file.getFileName().toString().toLowerCase();
    try {
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        Object tree = new ObjectMapper(new YAMLFactory()).readValue(text, Map.class);
        return new JsonObject(new ObjectMapper().writeValueAsString(tree));
      }
      return new JsonObject(text);
    } catch (Exception e) {
      throw new ConfigException(List.of("Config file " + file + " is not valid " + (name.endsWith("json") ? "JSON"
          : "JSON or YAML") + ": " + e.getMessage()));
    }
  }

  private Object resolve(Object value, String path, List<String> problems) {
    if (value instanceof JsonObject object) {
      for (String field : List.copyOf(object.fieldNames())) {
        object.put(field, resolve(object.getValue(field), path + "." + field, problems));
      }
      return object;
    }
    if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, resolve(array.getValue(i), path + "[" + i + "]", problems));
      }
      return array;
    }
    if (value instanceof String text && text.startsWith(ENV_PREFIX)) {
      String resolved = env.apply(text.substring(ENV_PREFIX.length()));
      if (resolved == null) {
        System.getLogger(ConfigLoader.class.getName()).log(System.Logger.Level.WARNING,
            "{0}: environment variable {1} is not set; the value is left empty", path.substring(1),
            text.substring(ENV_PREFIX.length()));
        return "";
      }
      return resolved;
    }
    return value;
  }

  private static void validate(JsonObject config, List<String> problems) {
    ConfigSchema.check(config, problems);
    JsonObject server = object(config, "server", problems);
    Object port = server.getValue("port", 8080);
    if (!(port instanceof Number n) || n.intValue() < 0 || n.intValue() > 65535) {
      problems.add("server.port must be a number from 0 to 65535, not " + port);
    }
    for (String field : List.of("event_loops", "max_in_flight", "max_body_bytes", "max_body_bytes_in_flight",
        "max_header_bytes", "header_timeout_ms", "body_timeout_ms", "keepalive_timeout_ms", "drain_seconds",
        "max_answer_bytes", "max_event_bytes")) {
      positive(server, "server", field, problems);
    }
    JsonObject timeouts = object(config, "timeouts", problems);
    for (String field : timeouts.fieldNames()) {
      positive(timeouts, "timeouts", field, problems);
    }
    Object host = server.getValue("host", ServerConfig.DEFAULT_HOST);
    if (!(host instanceof String h) || h.isBlank()) {
      problems.add("server.host must be a host name or address, not " + host);
    } else if (!ServerConfig.isLoopback(h)) {
      openRelayProblems(config, h, problems);
    }
    JsonObject providers = object(config, "providers", problems);
    for (String name : providers.fieldNames()) {
      if (!(providers.getValue(name) instanceof JsonObject provider)) {
        problems.add("providers." + name + " must be an object");
        continue;
      }
      String dialect = provider.getString("dialect", name);
      if (!SUPPORTED_DIALECTS.contains(dialect)) {
        problems.add("providers." + name + ".dialect '" + dialect + "' is not supported; use one of "
            + SUPPORTED_DIALECTS);
      }
      String region = provider.getValue("region") instanceof String r && !r.isBlank() ? r : null;
      String baseUrl = provider.getString("base_url", ProviderConfig.defaultBaseUrl(dialect, region));
      if (baseUrl == null || !isHttpUrl(baseUrl)) {
        problems.add("providers." + name + ".base_url must be an http(s) URL, not " + baseUrl
            + (dialect.equals("bedrock") || dialect.equals("vertex") ? " (or set region for the public endpoint)" : ""));
      }
      cloudProblems(name, dialect, provider, region, problems);
      converseModelProblems(name, dialect, provider, problems);
      if (name.contains("/")) {
        problems.add("providers." + name + ": a provider name cannot contain '/'");
      }
    }
    JsonObject fallbacks = object(config, "fallbacks", problems);
    for (String pattern : fallbacks.fieldNames()) {
      if (!(fallbacks.getValue(pattern) instanceof JsonArray)) {
        problems.add("fallbacks." + pattern + " must be a list of provider/model names");
      }
    }
    try {
      // Aliases, routing rules and the targets of fallbacks, checked as the router will compile them.
      Routing.compile(config, () -> 0.5, problems);
    } catch (RuntimeException e) {
      // Sections of the wrong shape, which the checks above report; the rules cannot be read past them.
    }
    object(config, "governance", problems);
    object(config, "pricing", problems);
    StoreSettings.fromConfig(object(config, "store", problems), null, problems);
    RequestLogConfig.fromJson(config, problems);
    MetricsConfig.fromJson(config, problems);
    TracingConfig.fromJson(config, problems);
    BedrockSurfaceConfig.fromJson(config, problems);
    try {
      // Identities, budgets, rate limits and prices, read as the governance verticle will read them.
      GovernancePolicy.fromConfig(config, KeyHasher.withRandomSalt(), problems);
    } catch (RuntimeException e) {
      // Sections of the wrong shape, reported above.
    }
  }

  /** The settings a cloud dialect cannot work without; its credentials are read when the node starts. */
  private static void cloudProblems(String name, String dialect, JsonObject provider, String region,
                                    List<String> problems) {
    boolean hasKeys = provider.getValue("keys") instanceof JsonArray keys && !keys.isEmpty();
    if (dialect.equals("bedrock")) {
      JsonObject aws = provider.getValue("aws") instanceof JsonObject a ? a : new JsonObject();
      boolean sigV4 = !aws.getString("access_key_id", "").isBlank() && !aws.getString("secret_access_key", "").isBlank();
      if (!hasKeys && !sigV4) {
        problems.add("providers." + name + " (bedrock) needs aws.access_key_id and aws.secret_access_key, or keys "
            + "with a Bedrock API key");
      }
      if (sigV4 && region == null) {
        problems.add("providers." + name + ".region is required to sign Bedrock requests (e.g. us-east-1)");
      }
    } else if (dialect.equals("vertex")) {
      if (region == null || !(provider.getValue("project") instanceof String p) || p.isBlank()) {
        problems.add("providers." + name + " (vertex) needs project and region");
      }
      JsonObject google = provider.getValue("google") instanceof JsonObject g ? g : new JsonObject();
      String file = google.getString("credentials_file", "");
      if (google.getString("credentials_json", "").isBlank() && file.isBlank() && !hasKeys) {
        problems.add("providers." + name + " (vertex) needs google.credentials_file or google.credentials_json "
            + "(a service account key)");
      } else if (!file.isBlank() && !Files.isReadable(Path.of(file))) {
        problems.add("providers." + name + ".google.credentials_file " + file + " cannot be read");
      }
    } else if (dialect.equals("azure")) {
      AzureSettings.problems(name, provider, hasKeys, problems);
    }
    if (!dialect.equals("azure")) {
      AzureSettings.misplaced(name, provider, problems);
    }
  }

  /** {@code converse_models}: Bedrock model ids that must be called through Converse (see BedrockApi). */
  private static void converseModelProblems(String name, String dialect, JsonObject provider, List<String> problems) {
    Object models = provider.getValue("converse_models");
    if (models == null) {
      return;
    }
    if (!dialect.equals("bedrock")) {
      problems.add("providers." + name + ".converse_models applies to the bedrock dialect only");
    } else if (!(models instanceof JsonArray list && list.stream().allMatch(m -> m instanceof String id
        && !id.isBlank()))) {
      problems.add("providers." + name + ".converse_models must be a list of Bedrock model ids");
    }
  }

  /**
   * A node other machines can reach spends the operator's provider keys for whoever reaches it, and its admin
   * API shows every key's usage: it must know its clients and its operator (ARCHITECTURE.md §5).
   */
  private static void openRelayProblems(JsonObject config, String host, List<String> problems) {
    JsonObject governance = config.getValue("governance") instanceof JsonObject g ? g : new JsonObject();
    boolean keysEnforced = Boolean.TRUE.equals(governance.getValue("enforce_virtual_keys"))
        && governance.getValue("virtual_keys") instanceof JsonArray keys && keys.stream()
            .anyMatch(k -> k instanceof JsonObject key && !key.getString("value", "").isEmpty());
    if (!keysEnforced && !Boolean.TRUE.equals(governance.getValue("allow_anonymous"))) {
      problems.add("server.host " + host + " can be reached from other machines, but governance admits anyone: "
          + "set governance.enforce_virtual_keys with at least one virtual key (whose value is set), or "
          + "governance.allow_anonymous: true to run an open gateway on purpose");
    }
    JsonObject admin = config.getValue("admin") instanceof JsonObject a ? a : new JsonObject();
    if (!(admin.getValue("token") instanceof String token) || token.isBlank()) {
      problems.add("server.host " + host + " can be reached from other machines, but admin.token is not set "
          + "(or its environment variable is empty): the admin API would be open to them");
    }
  }

  private static void positive(JsonObject section, String name, String field, List<String> problems) {
    Object value = section.getValue(field);
    if (value != null && (!(value instanceof Number n) || n.longValue() <= 0)) {
      problems.add(name + "." + field + " must be a positive number, not " + value);
    }
  }

  private static JsonObject object(JsonObject config, String field, List<String> problems) {
    Object value = config.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    problems.add(field + " must be an object");
    return new JsonObject();
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = URI.create(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
