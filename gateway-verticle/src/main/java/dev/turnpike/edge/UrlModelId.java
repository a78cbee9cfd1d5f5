package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A model id taken from a URL path (Bedrock's {@code /model/{id}/...}, Vertex's {@code /models/{id}:...}):
 * percent-decoded once, then held to what such ids look like. Bedrock ids arrive as {@code ...-v1:0} or
 * {@code ...-v1%3A0}, ARNs with {@code :} and {@code /} ({@code arn:aws:bedrock:...:inference-profile/...}), Vertex
 * ids with {@code @}. The id travels into headers, logs and the router; nothing else may pass.
 */
final class UrlModelId {
  static final int MAX_CHARS = 256;

  private UrlModelId() {}

  /** The decoded id; a 400 when it is empty, malformed, too long or has a character ids never have. */
  static String decode(String raw) {
    String id = percentDecoded(raw);
    if (id.isEmpty() || id.length() > MAX_CHARS) {
      throw invalid("The model id in the URL must have 1 to " + MAX_CHARS + " characters");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '.' || c == '_' || c == ':' || c == '@' || c == '/' || c == '-';
      if (!allowed) {
        throw invalid("The model id in the URL may only hold letters, digits and . _ : @ / -");
      }
    }
    return id;
  }

  /** {@code %XX} sequences become their bytes, read as UTF-8; {@code +} stays itself (this is a path). */
  private static String percentDecoded(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    if (raw.length() > MAX_CHARS * 3) {
      throw invalid("The model id in the URL must have 1 to " + MAX_CHARS + " characters");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (low < 0) {
        throw invalid("The model id in the URL has a malformed %-escape");
      }
      bytes.write(high * 16 + low);
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw invalid("The model id in the URL is not UTF-8");
    }
  }

  private static Failure.FailureException invalid(String message) {
    return new Failure.FailureException(Failure.of(FailureCode.INVALID_REQUEST, message));
  }
}
