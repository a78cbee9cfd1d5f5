package dev.turnpike.app.fakes;

import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;

/**
 * A Google service account made up for one test: an RSA key generated here (never a real one), whose public half
 * a {@link FakeVertexUpstream} checks the gateway's signed assertions with, and the key file the gateway is given.
 */
public final class TestServiceAccount {
  public static final String KEY_ID = "key-1";
  private final String email;
  private final String projectId;
  private final KeyPair keys;

  private TestServiceAccount(String email, String projectId, KeyPair keys) {
    this.email = email;
    this.projectId = projectId;
    this.keys = keys;
  }

  /** Generates the account's 2048-bit RSA key (a slow step: one account per test class where it can be). */
  public static TestServiceAccount generate(String email, String projectId) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new TestServiceAccount(email, projectId, generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String email() {
    return email;
  }

  public String projectId() {
    return projectId;
  }

  public PublicKey publicKey() {
    return keys.getPublic();
  }

  /** The service-account key file, as Google issues it, whose tokens are minted at {@code tokenUri}. */
  public JsonObject keyFile(String tokenUri) {
    return new JsonObject().put("type", "service_account").put("project_id", projectId)
        .put("private_key_id", KEY_ID).put("private_key", privateKeyPem()).put("client_email", email)
        .put("token_uri", tokenUri);
  }

  /** PKCS#8 PEM with 64-character lines, as Google writes {@code private_key}. */
  private String privateKeyPem() {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** The email only: the key file holds a private key. */
  @Override
  public String toString() {
    return "TestServiceAccount[" + email + "]";
  }
}
