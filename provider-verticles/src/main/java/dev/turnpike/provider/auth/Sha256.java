package dev.turnpike.provider.auth;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The two primitives of SigV4, SHA-256 and HMAC-SHA256, from the JDK. */
final class Sha256 {
  /** Hashes a Buffer in slices so that a large body is not copied whole. */
  private static final int SLICE = 64 * 1024;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Sha256() {}

  static String hex(byte[] data) {
    return toHex(digest().digest(data));
  }

  static String hex(Buffer data) {
    MessageDigest digest = digest();
    for (int start = 0; start < data.length(); start += SLICE) {
      digest.update(data.getBytes(start, Math.min(data.length(), start + SLICE)));
    }
    return toHex(digest.digest());
  }

  static String hex(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JDK", e);
    }
  }

  static String toHex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JDK", e);
    }
  }
}
