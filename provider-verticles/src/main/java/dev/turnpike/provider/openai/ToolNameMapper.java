package dev.turnpike.provider.openai;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Maps Anthropic tool names to names OpenAI accepts ({@code ^[a-zA-Z0-9_-]{1,64}$}) and back. Anthropic allows
 * longer names (MCP tools such as {@code mcp__server__tool} grow long) and other characters. A valid name is
 * kept; any other becomes its sanitised prefix plus a hash of the original, so the same name always maps the
 * same way. One instance per request, shared by the request and the answer translation; not thread-safe.
 * Upstreams with stricter rules (Gemini: a letter or underscore first) pass their own test of a kept name; a
 * renamed name always starts with a letter or underscore and uses only {@code [a-zA-Z0-9_-]}.
 */
public final class ToolNameMapper {
  private static final Pattern VALID = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final Pattern INVALID_CHARS = Pattern.compile("[^a-zA-Z0-9_-]");
  private static final int MAX_LENGTH = 64;
  private static final int HASH_CHARS = 8;

  private final Map<String, String> toOpenAi = new HashMap<>();
  private final Map<String, String> toAnthropic = new HashMap<>();
  private final Predicate<String> keeps;

  /** OpenAI's rule: {@code ^[a-zA-Z0-9_-]{1,64}$}. */
  public ToolNameMapper() {
    this(ToolNameMapper::isValidOpenAiName);
  }

  /** @param keeps which names the upstream accepts as they are; it must accept every name OpenAI's rule does
   *     that starts with a letter or underscore */
  public ToolNameMapper(Predicate<String> keeps) {
    this.keeps = keeps;
  }

  public static boolean isValidOpenAiName(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  public String toOpenAi(String anthropicName) {
    String known = toOpenAi.get(anthropicName);
    if (known != null) {
      return known;
    }
    String candidate = keeps.test(anthropicName) ? anthropicName : rename(anthropicName, 0);
    // A renamed tool may land on a name another tool already holds; a salted hash moves it off.
    for (int salt = 1; toAnthropic.containsKey(candidate); salt++) {
      candidate = rename(anthropicName, salt);
    }
    toOpenAi.put(anthropicName, candidate);
    toAnthropic.put(candidate, anthropicName);
    return candidate;
  }

  /** The Anthropic name for a name this mapper produced; any other name passes through unchanged. */
  public String toAnthropic(String openAiName) {
    return toAnthropic.getOrDefault(openAiName, openAiName);
  }

  private static String rename(String name, int salt) {
    String source = name == null ? "" : name;
    String hash = hash(salt == 0 ? source : source + "#" + salt);
    String prefix = INVALID_CHARS.matcher(source).replaceAll("_");
    if (!prefix.isEmpty() && !Character.isLetter(prefix.charAt(0)) && prefix.charAt(0) != '_') {
      prefix = "_" + prefix; // stricter upstreams want a letter or underscore first
    }
    int room = MAX_LENGTH - HASH_CHARS - 1;
    if (prefix.length() > room) {
      prefix = prefix.substring(0, room);
    }
    return prefix.isEmpty() ? "tool_" + hash : prefix + "_" + hash;
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
