package dev.turnpike.governance.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Virtual key values are kept only as salted hashes (HMAC-SHA256 under a salt the node draws at start), found by
 * that hash and confirmed with a constant-time comparison, so neither a heap dump nor timing gives a value away.
 */
public final class KeyHasher {
  private final SecretKeySpec salt;
  private final ThreadLocal<Mac> macs;

  public KeyHasher(byte[] salt) {
    this.salt = new SecretKeySpec(salt.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  public static KeyHasher withRandomSalt() {
    byte[] salt = new byte[32];
    new SecureRandom().nextBytes(salt);
    return new KeyHasher(salt);
  }

  public byte[] hash(String value) {
    return macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
  }

  public static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(salt);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
    }
  }
}
