package dev.turnpike.governance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stable, non-reversible name for a client key, so usage can be counted per key without storing or logging
 * the key. Hashes are cached: a team uses a handful of keys, and SHA-256 per request would be wasted work.
 */
public final class KeyFingerprint {
  private static final int CACHE_LIMIT = 10_000;
  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private KeyFingerprint() {}

  public static String of(String credential) {
    String cached = CACHE.get(credential);
    if (cached != null) {
      return cached;
    }
    String fingerprint = "key:" + HexFormat.of().formatHex(sha256(credential), 0, 8);
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear();
    }
    CACHE.put(credential, fingerprint);
    return fingerprint;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
