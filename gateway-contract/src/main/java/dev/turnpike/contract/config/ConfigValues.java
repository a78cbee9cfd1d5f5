package dev.turnpike.contract.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** Reading one section's values with a problem per bad value, for the sections that check their own. */
final class ConfigValues {
  private ConfigValues() {}

  static JsonObject section(JsonObject config, String name) {
    return config != null && config.getValue(name) instanceof JsonObject section ? section : new JsonObject();
  }

  static void known(JsonObject section, String path, Set<String> keys, List<String> problems) {
    for (String key : section.fieldNames()) {
      if (!keys.contains(key)) {
        problems.add(path + "." + key + " is not a known setting (known here: "
            + String.join(", ", keys.stream().sorted().toList()) + ")");
      }
    }
  }

  static boolean flag(JsonObject section, String path, String key, boolean fallback, List<String> problems) {
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    problems.add(path + "." + key + " must be true or false, not " + value);
    return fallback;
  }

  static long number(JsonObject section, String path, String key, long fallback, long min, long max,
                     List<String> problems) {
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= min && n.longValue() <= max) {
      return n.longValue();
    }
    problems.add(path + "." + key + " must be a whole number from " + min + " to " + max + ", not " + value);
    return fallback;
  }

  static double fraction(JsonObject section, String path, String key, double fallback, List<String> problems) {
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
      return n.doubleValue();
    }
    problems.add(path + "." + key + " must be a number from 0 to 1, not " + value);
    return fallback;
  }

  static String text(JsonObject section, String path, String key, String fallback, List<String> problems) {
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return s;
    }
    problems.add(path + "." + key + " must be a string, not " + value);
    return fallback;
  }
}
