package dev.turnpike.governance.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Virtual key values are kept only as salted hashes (HMAC-SHA256 under the cluster's salt, drawn by its first node
 * and kept in the store), and a presented value is found by its hash: neither a heap dump nor the store gives a
 * value away, and a lookup's timing depends on the secret-keyed hash, not on how much of a value was right.
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

  /** The hash as stored and looked up: lower-case hex. */
  public String hashHex(String value) {
    return java.util.HexFormat.of().formatHex(hash(value));
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
