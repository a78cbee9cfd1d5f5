package dev.turnpike.edge.metrics;

import dev.turnpike.contract.FailureCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The values a metric label may take. Every label is bounded, so no client can add series by what it sends: a
 * provider is a configured one; a model is a name the config mentions (providers' and keys' {@code models},
 * {@code aliases}, {@code pricing}, routing rule targets and fallbacks) or the built-in price list's name it is a
 * variant of; a rule is a matched rule's name. Anything else, and any value past {@code metrics.max_label_values}
 * distinct ones, is {@code other}; what never happened (no attempt, no rule, no failure) is {@code none}.
 * Thread-safe: records arrive on every event loop.
 */
public final class MetricLabels {
  public static final String OTHER = "other";
  public static final String NONE = "none";
  /** Raw model names remembered with their label; past this, unknown names are looked up every time. */
  private static final int MAX_REMEMBERED = 4096;
  private static final String[] STATUSES = new String[600];
  private static final String[] FAILURES = new String[FailureCode.values().length];

  static {
    for (int status = 100; status < STATUSES.length; status++) {
      STATUSES[status] = Integer.toString(status);
    }
    for (FailureCode code : FailureCode.values()) {
      FAILURES[code.ordinal()] = code.name().toLowerCase(Locale.ROOT);
    }
  }

  private final Set<String> providers;
  private final Set<String> models;
  private final UnaryOperator<String> priceListName;
  private final Capped modelValues;
  private final Capped ruleValues;
  private final Map<String, String> modelLabels = new ConcurrentHashMap<>();

  /**
   * @param models the model names the config mentions
   * @param priceListName the built-in price list's name a model is a variant of, or null when it has none
   */
  public MetricLabels(Set<String> providers, Set<String> models, UnaryOperator<String> priceListName,
                      int maxLabelValues) {
    this.providers = Set.copyOf(providers);
    this.models = Set.copyOf(models);
    this.priceListName = priceListName;
    this.modelValues = new Capped(maxLabelValues);
    this.ruleValues = new Capped(maxLabelValues);
  }

  /** The labels of a resolved config. */
  public static MetricLabels fromConfig(JsonObject config, UnaryOperator<String> priceListName, int maxLabelValues) {
    JsonObject providerJson = objectAt(config, "providers");
    Set<String> models = new HashSet<>();
    for (String name : providerJson.fieldNames()) {
      JsonObject provider = objectAt(providerJson, name);
      addAll(models, provider.getValue("models"));
      if (provider.getValue("keys") instanceof JsonArray keys) {
        for (Object key : keys) {
          if (key instanceof JsonObject k) {
            addAll(models, k.getValue("models"));
          }
        }
      }
    }
    JsonObject aliases = objectAt(config, "aliases");
    for (String alias : aliases.fieldNames()) {
      models.add(alias);
      addQualified(models, aliases.getValue(alias));
    }
    objectAt(config, "pricing").fieldNames().forEach(name -> addQualified(models, name));
    JsonObject fallbacks = objectAt(config, "fallbacks");
    for (String pattern : fallbacks.fieldNames()) {
      addQualified(models, pattern);
      addEachQualified(models, fallbacks.getValue(pattern));
    }
    if (config.getValue("routing_rules") instanceof JsonArray rules) {
      for (Object entry : rules) {
        if (entry instanceof JsonObject rule) {
          addEachQualified(models, rule.getValue("fallbacks"));
          if (rule.getValue("targets") instanceof JsonArray targets) {
            for (Object target : targets) {
              if (target instanceof JsonObject t && t.getValue("model") instanceof String model) {
                models.add(model);
              }
            }
          }
        }
      }
    }
    models.removeIf(name -> name.isBlank() || name.contains("*"));
    return new MetricLabels(providerJson.fieldNames(), models, priceListName, maxLabelValues);
  }

  /** A configured provider's name; {@code none} for null (no attempt was made). */
  public String provider(String provider) {
    if (provider == null) {
      return NONE;
    }
    return providers.contains(provider) ? provider : OTHER;
  }

  /**
   * A model as configured, or the price list's name it is a variant of ({@code claude-sonnet-4-5-20250929} is
   * {@code claude-sonnet-4-5}); {@code provider/model} with a configured provider counts as its model; {@code none}
   * for null (the body was never read).
   */
  public String model(String model) {
    if (model == null) {
      return NONE;
    }
    String known = modelLabels.get(model);
    if (known != null) {
      return known;
    }
    String label = resolve(model);
    if (modelLabels.size() < MAX_REMEMBERED) {
      modelLabels.put(model, label);
    }
    return label;
  }

  private String resolve(String model) {
    if (models.contains(model)) {
      return modelValues.of(model);
    }
    String listed = priceListName.apply(model);
    if (listed != null) {
      return modelValues.of(listed);
    }
    int slash = model.indexOf('/');
    if (slash > 0 && slash < model.length() - 1 && providers.contains(model.substring(0, slash))) {
      return resolve(model.substring(slash + 1));
    }
    return OTHER;
  }

  /** A matched rule's name (rules come from config or the admin API), {@code none} when no rule matched. */
  public String rule(String rule) {
    return rule == null ? NONE : ruleValues.of(rule);
  }

  public static String status(int status) {
    return status >= 100 && status < STATUSES.length ? STATUSES[status] : OTHER;
  }

  /** A failure code's name in lower case, {@code none} for success. */
  public static String failure(FailureCode code) {
    return code == null ? NONE : FAILURES[code.ordinal()];
  }

  private static JsonObject objectAt(JsonObject json, String key) {
    return json.getValue(key) instanceof JsonObject o ? o : new JsonObject();
  }

  private static void addAll(Set<String> models, Object list) {
    if (list instanceof JsonArray array) {
      array.forEach(m -> {
        if (m instanceof String s) {
          models.add(s);
        }
      });
    }
  }

  private static void addEachQualified(Set<String> models, Object list) {
    if (list instanceof JsonArray array) {
      array.forEach(name -> addQualified(models, name));
    }
  }

  /** The model of a {@code provider/model} name. */
  private static void addQualified(Set<String> models, Object name) {
    if (name instanceof String s) {
      int slash = s.indexOf('/');
      models.add(slash > 0 ? s.substring(slash + 1) : s);
    }
  }

  /** Values kept as they are until {@code max} distinct ones were seen; then {@code other}. */
  private static final class Capped {
    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    Capped(int max) {
      this.max = max;
    }

    String of(String value) {
      if (seen.contains(value)) {
        return value;
      }
      if (seen.size() < max && seen.add(value)) {
        return value;
      }
      return seen.contains(value) ? value : OTHER;
    }
  }
}
