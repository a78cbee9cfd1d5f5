package dev.turnpike.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyFingerprintTest {
  private static final String KEY = "sk-ant-api03-Zq8xW2vN5tR7yU1iO3pL6kJ9hG4fD0sA-ExampleKeyOnly-AA";

  @Test
  void should_give_the_same_fingerprint_when_the_same_key_comes_again() {
    String first = KeyFingerprint.of(KEY);

    assertEquals(first, KeyFingerprint.of(new String(KEY.toCharArray())));
  }

  @Test
  void should_give_different_fingerprints_when_keys_differ_by_one_character() {
    assertNotEquals(KeyFingerprint.of(KEY), KeyFingerprint.of(KEY.substring(0, KEY.length() - 1) + "B"));
  }

  @Test
  void should_be_the_first_eight_bytes_of_the_keys_sha256_in_hex_when_fingerprinting() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(KEY.getBytes(StandardCharsets.UTF_8));

    assertEquals("key:" + HexFormat.of().formatHex(digest, 0, 8), KeyFingerprint.of(KEY));
  }

  @Test
  void should_never_contain_the_key_and_keep_a_fixed_length_when_keys_are_short_or_long() {
    String shortKey = "tp-local-dev";
    String longKey = "sk-" + "x".repeat(4000);

    for (String key : new String[] {KEY, shortKey, longKey}) {
      String fingerprint = KeyFingerprint.of(key);
      assertFalse(fingerprint.contains(key), fingerprint);
      assertFalse(fingerprint.contains(key.substring(0, 6)), "no prefix of the key: " + fingerprint);
      assertTrue(fingerprint.matches("key:[0-9a-f]{16}"), fingerprint);
    }
  }

  @Test
  void should_stay_the_same_when_its_cache_was_cleared_by_many_other_keys() {
    String before = KeyFingerprint.of(KEY);
    for (int i = 0; i < 10_001; i++) {
      KeyFingerprint.of("sk-other-" + i);
    }

    assertEquals(before, KeyFingerprint.of(KEY));
  }
}
