package dev.turnpike.provider.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;

/** Service-account key files for tests, around an RSA key generated here (never a real one). */
final class ServiceAccountFiles {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CLIENT_EMAIL = "turnpike-test@example-project.iam.gserviceaccount.com";
  static final String KEY_ID = "0123456789abcdef0123456789abcdef01234567";
  static final String PROJECT_ID = "example-project";
  /** One key for the whole run: generating RSA keys is slow. */
  static final KeyPair KEYS = generate();

  private ServiceAccountFiles() {}

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PKCS#8 PEM with 64-character lines, as Google writes {@code private_key}. */
  static String pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n" + base64Lines(key.getEncoded()) + "-----END PRIVATE KEY-----\n";
  }

  static String base64Lines(byte[] der) {
    return Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n";
  }

  /** The fields of a key file as Google issues it, pointing its token_uri at {@code tokenUri}. */
  static ObjectNode file(String tokenUri) {
    return JSON.createObjectNode()
        .put("type", "service_account")
        .put("project_id", PROJECT_ID)
        .put("private_key_id", KEY_ID)
        .put("private_key", pem(KEYS.getPrivate()))
        .put("client_email", CLIENT_EMAIL)
        .put("client_id", "123456789012345678901")
        .put("auth_uri", "https://accounts.google.com/o/oauth2/auth")
        .put("token_uri", tokenUri);
  }

  /** Whether {@code text}, whitespace removed, holds any 20-character run of the test key's base64. */
  static boolean quotesKey(String text) {
    String flat = text.replaceAll("\\s", "");
    String base64 = Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded());
    for (int at = 0; at + 20 <= base64.length(); at += 20) {
      if (flat.contains(base64.substring(at, at + 20))) {
        return true;
      }
    }
    return false;
  }
}
