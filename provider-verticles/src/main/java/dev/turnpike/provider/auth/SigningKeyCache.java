package dev.turnpike.provider.auth;

import java.nio.charset.StandardCharsets;

/**
 * The SigV4 signing key of one secret, region and service, derived once per UTC date (four HMACs per request saved).
 * Holds one date: a key is valid for a day and requests near midnight at worst derive it again. Thread-safe
 * without locking: two threads deriving the same key at once store equal values.
 */
final class SigningKeyCache {
  private record DatedKey(String date, byte[] key) {}

  private final String secretAccessKey;
  private final String region;
  private final String service;
  private volatile DatedKey current;

  SigningKeyCache(String secretAccessKey, String region, String service) {
    this.secretAccessKey = secretAccessKey;
    this.region = region;
    this.service = service;
  }

  /** The key for {@code date} ({@code yyyyMMdd}); callers must not modify the array. */
  byte[] forDate(String date) {
    DatedKey key = current;
    if (key == null || !key.date().equals(date)) {
      key = new DatedKey(date, derive(secretAccessKey, date, region, service));
      current = key;
    }
    return key.key();
  }

  static byte[] derive(String secretAccessKey, String date, String region, String service) {
    byte[] dateKey = Sha256.hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
    byte[] regionKey = Sha256.hmac(dateKey, region);
    byte[] serviceKey = Sha256.hmac(regionKey, service);
    return Sha256.hmac(serviceKey, "aws4_request");
  }
}
