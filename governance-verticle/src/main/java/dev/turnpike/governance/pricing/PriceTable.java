package dev.turnpike.governance.pricing;

import dev.turnpike.contract.Target;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The price of a target: the config's {@code pricing} entry for its {@code provider/model} (or {@code provider/*}),
 * else the built-in list price of its model, else the configured default, else none (the caller refuses: a
 * budget is never spent at a silent zero).
 */
public final class PriceTable {
  /** Bedrock's cross-region prefixes and vendor prefix, a version suffix, Vertex's {@code @date}, a date suffix. */
  private static final Pattern BEDROCK_PREFIX = Pattern.compile("^((us|eu|apac|global|us-gov|jp|au)\\.)?anthropic\\.");
  private static final Pattern VERSION_SUFFIX = Pattern.compile("-v\\d+(:\\d+)?$");
  private static final Pattern DATE_SUFFIX = Pattern.compile("(@|-)(\\d{8}|\\d{4}-\\d{2}-\\d{2}|latest)$");
  private static final Pattern CONTEXT_SUFFIX = Pattern.compile("\\[[^\\]]*\\]$");

  private final Map<String, Price> configured;
  private final Price defaultPrice;
  /** Every model asked for so far, priced or not (an unpriced one is asked again per request for its cost). */
  private final Map<String, java.util.Optional<Price>> resolved = new java.util.concurrent.ConcurrentHashMap<>();

  public PriceTable(Map<String, Price> configured, Price defaultPrice) {
    this.configured = Map.copyOf(configured);
    this.defaultPrice = defaultPrice;
  }

  /** {@code pricing} (provider/model to price) and {@code governance.default_price} (null: refuse unpriced models). */
  public static PriceTable fromConfig(JsonObject config) {
    Map<String, Price> configured = new HashMap<>();
    JsonObject pricing = config.getJsonObject("pricing", new JsonObject());
    for (String name : pricing.fieldNames()) {
      configured.put(name, Price.fromJson(pricing.getJsonObject(name)));
    }
    JsonObject governance = config.getJsonObject("governance", new JsonObject());
    JsonObject fallback = governance.getJsonObject("default_price");
    return new PriceTable(configured, fallback == null ? null : Price.fromJson(fallback));
  }

  /** The price of {@code target}, or null when it has none (the caller refuses). */
  public Price priceOf(Target target) {
    String key = target.qualifiedModel();
    java.util.Optional<Price> cached = resolved.get(key);
    if (cached != null) {
      return cached.orElse(null);
    }
    Price price = lookup(target);
    if (resolved.size() < 10_000) {
      resolved.put(key, java.util.Optional.ofNullable(price));
    }
    return price;
  }

  private Price lookup(Target target) {
    Price exact = configured.get(target.qualifiedModel());
    if (exact != null) {
      return exact;
    }
    Price provider = configured.get(target.provider() + "/*");
    if (provider != null) {
      return provider;
    }
    Price builtIn = builtIn(target.model());
    return builtIn != null ? builtIn : defaultPrice;
  }

  static Price builtIn(String model) {
    String name = builtInName(model);
    return name == null ? null : BuiltInPrices.BY_MODEL.get(name);
  }

  /**
   * The longest built-in name that the normalised model equals or extends at a {@code -} or {@code .} boundary
   * (the name its built-in price is listed under), or null: metrics label a model by it, a bounded set.
   */
  public static String builtInName(String model) {
    String name = normalise(model);
    String best = null;
    for (String known : BuiltInPrices.BY_MODEL.keySet()) {
      if (extends_(name, known) && (best == null || known.length() > best.length())) {
        best = known;
      }
    }
    return best;
  }

  /**
   * Whether {@code name} is {@code known} or a variant of it ({@code gpt-4o-mini-search} of {@code gpt-4o-mini}),
   * but not a newer version ({@code claude-opus-4-9} is not {@code claude-opus-4}: it may cost something else).
   */
  private static boolean extends_(String name, String known) {
    if (name.equals(known)) {
      return true;
    }
    if (!name.startsWith(known) || name.length() < known.length() + 2) {
      return false;
    }
    char boundary = name.charAt(known.length());
    return (boundary == '-' || boundary == '.') && !Character.isDigit(name.charAt(known.length() + 1));
  }

  /** {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0} and {@code claude-sonnet-4-5@20250929} to {@code claude-sonnet-4-5}. */
  static String normalise(String model) {
    String name = model.toLowerCase(Locale.ROOT).trim();
    name = CONTEXT_SUFFIX.matcher(name).replaceFirst("");
    name = BEDROCK_PREFIX.matcher(name).replaceFirst("");
    name = VERSION_SUFFIX.matcher(name).replaceFirst("");
    name = DATE_SUFFIX.matcher(name).replaceFirst("");
    return name;
  }
}
