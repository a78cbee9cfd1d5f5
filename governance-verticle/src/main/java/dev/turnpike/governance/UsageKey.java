package dev.turnpike.governance;

/** Key of the shared usage map: {@code subject|provider/model}. A string key keeps Hazelcast partitioning cheap. */
public final class UsageKey {
  private static final char SEPARATOR = '|';

  private UsageKey() {}

  public static String of(String subject, String qualifiedModel) {
    return subject + SEPARATOR + qualifiedModel;
  }

  public static String subject(String key) {
    return key.substring(0, key.indexOf(SEPARATOR));
  }

  public static String model(String key) {
    return key.substring(key.indexOf(SEPARATOR) + 1);
  }
}
