package dev.turnpike.provider.gemini;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Carries what Gemini needs back with a function call inside the Anthropic {@code tool_use} id, because that id is
 * the one thing every client (Claude Code included) returns byte for byte, in the assistant message and in its
 * {@code tool_result}: the call's {@code thoughtSignature} (Gemini 3 refuses a replayed call without it) and
 * Gemini's own call {@code id} when it gave one. Thinking blocks were the other candidate; clients drop or
 * rewrite them (a signature that is not Anthropic's), while a tool id survives everything that keeps the tool
 * pairing intact.
 *
 * <p>Form: {@code toolu_gm} + 16 hex digits unique in the answer, then optionally {@code i} + the UTF-8 bytes of
 * Gemini's call id in hex, then optionally {@code s} + the signature in base64url without padding. Every
 * character is one Anthropic allows in an id ({@code ^[a-zA-Z0-9_-]+$}); hex never contains {@code s}, so the
 * parts cannot be confused. The signature is carried exactly: standard base64 maps to base64url character for
 * character and back. An id of any other form (a conversation that began elsewhere) carries nothing.
 */
public final class GeminiToolIds {
  static final String PREFIX = "toolu_gm";
  private static final int NONCE_CHARS = 16;
  private static final Pattern HEX = Pattern.compile("[0-9a-f]*");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

  /** What a tool id carries back to Gemini; both parts may be null. */
  public record Carried(String callId, String thoughtSignature) {
    public static final Carried NOTHING = new Carried(null, null);
  }

  private GeminiToolIds() {}

  /**
   * The id for one function call.
   *
   * @param nonce unique among the answer's calls and across answers (a hash of the response id and position)
   * @param callId Gemini's {@code functionCall.id}, or null
   * @param thoughtSignature the part's {@code thoughtSignature} as Gemini sent it (base64), or null
   */
  public static String encode(long nonce, String callId, String thoughtSignature) {
    StringBuilder id = new StringBuilder(PREFIX).append(String.format("%016x", nonce));
    if (callId != null && !callId.isEmpty()) {
      id.append('i').append(HexFormat.of().formatHex(callId.getBytes(StandardCharsets.UTF_8)));
    }
    if (thoughtSignature != null && !thoughtSignature.isEmpty() && BASE64.matcher(thoughtSignature).matches()) {
      id.append('s').append(thoughtSignature.replace('+', '-').replace('/', '_').replace("=", ""));
    }
    return id.toString();
  }

  /** What {@code toolUseId} carries, or {@link Carried#NOTHING} for an id this class did not make. */
  public static Carried decode(String toolUseId) {
    int start = PREFIX.length() + NONCE_CHARS;
    if (toolUseId == null || !toolUseId.startsWith(PREFIX) || toolUseId.length() < start
        || !HEX.matcher(toolUseId.substring(PREFIX.length(), start)).matches()) {
      return Carried.NOTHING;
    }
    String rest = toolUseId.substring(start);
    String callId = null;
    if (rest.startsWith("i")) {
      int end = 1;
      while (end < rest.length() && isLowerHex(rest.charAt(end))) {
        end++;
      }
      String hex = rest.substring(1, end);
      if (hex.length() % 2 != 0) {
        return Carried.NOTHING;
      }
      callId = new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
      rest = rest.substring(end);
    }
    String signature = null;
    if (rest.startsWith("s") && BASE64URL.matcher(rest.substring(1)).matches()) {
      String url = rest.substring(1);
      StringBuilder standard = new StringBuilder(url.replace('-', '+').replace('_', '/'));
      while (standard.length() % 4 != 0) {
        standard.append('=');
      }
      signature = standard.toString();
    } else if (!rest.isEmpty()) {
      return Carried.NOTHING;
    }
    return new Carried(callId, signature);
  }

  private static boolean isLowerHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
