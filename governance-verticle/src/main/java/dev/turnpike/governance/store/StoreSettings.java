package dev.turnpike.governance.store;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code store} section: where the cluster's counters, usage totals, identities and routing rules outlive a full
 * restart. {@code embedded} (the default) is one SQLite file under {@code data_dir}, which nodes on one host share;
 * {@code postgres} is a PostgreSQL database every node of a cluster on several hosts reaches; {@code none} keeps
 * them only as long as the cluster runs.
 *
 * @param jdbcUrl the embedded file's URL or the configured PostgreSQL one
 * @param writeDelaySeconds how long a change may wait before it is written (changes to one key in that time are
 *                          written once): what a crash of every node at once can lose
 */
public record StoreSettings(Kind kind, String jdbcUrl, Path dataDir, String user, String password, int poolSize,
                            int writeDelaySeconds) {
  public enum Kind { EMBEDDED, POSTGRES, NONE }

  public static final String DEFAULT_DATA_DIR = "turnpike-data";
  public static final String DATA_DIR_VARIABLE = "TURNPIKE_DATA_DIR";
  private static final Set<String> KNOWN = Set.of("kind", "data_dir", "url", "user", "password", "pool_size",
      "write_delay_seconds");

  public static final StoreSettings NONE = new StoreSettings(Kind.NONE, null, null, null, null, 0, 0);

  /**
   * Reads {@code store}; problems are added to {@code problems}. {@code dataDirFromEnv} is
   * {@code TURNPIKE_DATA_DIR} (null when unset): it places the embedded file when the config does not.
   */
  public static StoreSettings fromConfig(JsonObject store, String dataDirFromEnv, List<String> problems) {
    JsonObject section = store == null ? new JsonObject() : store;
    for (String key : section.fieldNames()) {
      if (!KNOWN.contains(key)) {
        problems.add("store." + key + " is not a known setting (known: " + String.join(", ",
            KNOWN.stream().sorted().toList()) + ")");
      }
    }
    String kindName = section.getValue("kind") instanceof String s ? s.toLowerCase(Locale.ROOT) : "embedded";
    Kind kind;
    switch (kindName) {
      case "embedded" -> kind = Kind.EMBEDDED;
      case "postgres", "postgresql" -> kind = Kind.POSTGRES;
      case "none" -> kind = Kind.NONE;
      default -> {
        problems.add("store.kind must be embedded, postgres or none, not " + kindName);
        return NONE;
      }
    }
    int writeDelay = number(section, "write_delay_seconds", 1, 0, 3600, problems);
    switch (kind) {
      case NONE -> {
        return NONE;
      }
      case EMBEDDED -> {
        String dir = section.getValue("data_dir") instanceof String s && !s.isBlank() ? s
            : dataDirFromEnv != null && !dataDirFromEnv.isBlank() ? dataDirFromEnv : DEFAULT_DATA_DIR;
        Path dataDir = Path.of(dir).toAbsolutePath().normalize();
        return new StoreSettings(kind, "jdbc:sqlite:" + dataDir.resolve("turnpike.db"), dataDir, null, null,
            number(section, "pool_size", 2, 1, 16, problems), writeDelay);
      }
      default -> {
        String url = section.getValue("url") instanceof String s ? s.trim() : "";
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
          url = "jdbc:postgresql://" + url.substring(url.indexOf("://") + 3); // the libpq form, as users paste it
        }
        if (!url.startsWith("jdbc:postgresql://")) {
          problems.add("store.url must be a PostgreSQL URL such as jdbc:postgresql://127.0.0.1:5432/turnpike");
          return NONE;
        }
        return new StoreSettings(kind, url, null, text(section, "user"), text(section, "password"),
            number(section, "pool_size", 4, 1, 64, problems), writeDelay);
      }
    }
  }

  public boolean enabled() {
    return kind != Kind.NONE;
  }

  /** For logs and errors: the URL without a password a user may have put in it. */
  public String describe() {
    if (kind == Kind.NONE) {
      return "none (kept only while the cluster runs)";
    }
    return kind.name().toLowerCase(Locale.ROOT) + " " + jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***")
        .replaceAll("//[^/@]*:[^/@]*@", "//***@");
  }

  private static String text(JsonObject section, String key) {
    return section.getValue(key) instanceof String s && !s.isEmpty() ? s : null;
  }

  private static int number(JsonObject section, String key, int fallback, int min, int max, List<String> problems) {
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= min && n.intValue() <= max) {
      return n.intValue();
    }
    problems.add("store." + key + " must be a whole number from " + min + " to " + max);
    return fallback;
  }
}
