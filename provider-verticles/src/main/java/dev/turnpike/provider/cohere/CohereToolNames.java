package dev.turnpike.provider.cohere;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps Anthropic tool names to names Cohere accepts and back. Cohere documents tool names as "only the
 * characters a-z, A-Z, 0-9, _ and must not begin with a digit", so the dashes and dots MCP tools carry
 * ({@code mcp__my-server__get.thing}) are refused; length is capped at 64 as elsewhere. A valid name is kept;
 * any other becomes its sanitised prefix plus a hash of the original, so the same name always maps the same way.
 * One instance per request, shared by the request and the answer translation; not thread-safe.
 */
public final class CohereToolNames {
  private static final Pattern VALID = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]{0,63}$");
  private static final Pattern INVALID_CHARS = Pattern.compile("[^a-zA-Z0-9_]");
  private static final int MAX_LENGTH = 64;
  private static final int HASH_CHARS = 8;

  private final Map<String, String> toCohere = new HashMap<>();
  private final Map<String, String> toAnthropic = new HashMap<>();

  public static boolean isValidCohereName(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  public String toCohere(String anthropicName) {
    String known = toCohere.get(anthropicName);
    if (known != null) {
      return known;
    }
    String candidate = isValidCohereName(anthropicName) ? anthropicName : rename(anthropicName, 0);
    // A renamed tool may land on a name another tool already holds; a salted hash moves it off.
    for (int salt = 1; toAnthropic.containsKey(candidate); salt++) {
      candidate = rename(anthropicName, salt);
    }
    toCohere.put(anthropicName, candidate);
    toAnthropic.put(candidate, anthropicName);
    return candidate;
  }

  /** The Anthropic name for a name this mapper produced; any other name passes through unchanged. */
  public String toAnthropic(String cohereName) {
    return toAnthropic.getOrDefault(cohereName, cohereName);
  }

  private static String rename(String name, int salt) {
    String source = name == null ? "" : name;
    String hash = hash(salt == 0 ? source : source + "#" + salt);
    String prefix = INVALID_CHARS.matcher(source).replaceAll("_");
    int room = MAX_LENGTH - HASH_CHARS - 1;
    if (prefix.length() > room) {
      prefix = prefix.substring(0, room);
    }
    if (prefix.isEmpty() || Character.isDigit(prefix.charAt(0))) {
      prefix = "t" + (prefix.length() < room ? prefix : prefix.substring(0, room - 1));
    }
    return prefix + "_" + hash;
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, HASH_CHARS / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
