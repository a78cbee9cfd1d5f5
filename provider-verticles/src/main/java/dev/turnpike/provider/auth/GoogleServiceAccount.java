package dev.turnpike.provider.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * A Google service account as its JSON key file describes it: who signs ({@code client_email}), with which key,
 * and where the signed assertion is exchanged for an access token.
 *
 * @param privateKeyId the key's id, sent as the JWT's {@code kid}; null when the file has none
 * @param projectId the project the key belongs to; null when the file has none
 */
public record GoogleServiceAccount(String clientEmail, PrivateKey privateKey, String privateKeyId, String tokenUri,
                                   String projectId) {
  public static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  public GoogleServiceAccount {
    Objects.requireNonNull(clientEmail, "clientEmail");
    Objects.requireNonNull(privateKey, "privateKey");
    tokenUri = tokenUri == null || tokenUri.isBlank() ? DEFAULT_TOKEN_URI : tokenUri;
  }

  /**
   * Reads a service-account key file.
   *
   * @throws IllegalArgumentException naming the field at fault; the message never quotes the file, because
   *     the file holds the private key
   */
  public static GoogleServiceAccount parse(String json) {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException("Service-account key is empty");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      // Jackson's message quotes the input around the error, and the input holds the key.
      throw new IllegalArgumentException("Service-account key is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("Service-account key is not a JSON object");
    }
    String type = optionalText(root, "type");
    if (type != null && !type.equals("service_account")) {
      // Echo the type only when it looks like one (authorized_user, external_account...).
      String shown = type.matches("[A-Za-z_]{1,40}") ? "of type '" + type + "' " : "";
      throw new IllegalArgumentException("Credentials " + shown
          + "are not a service-account key (expected type 'service_account')");
    }
    String clientEmail = requiredText(root, "client_email");
    PrivateKey key = privateKeyFromPem(requiredText(root, "private_key"));
    String tokenUri = optionalText(root, "token_uri");
    if (tokenUri != null) {
      requireHttpUrl("token_uri", tokenUri);
    }
    return new GoogleServiceAccount(clientEmail, key, optionalText(root, "private_key_id"), tokenUri,
        optionalText(root, "project_id"));
  }

  /** The key stays out: records print every component by default. */
  @Override
  public String toString() {
    return "GoogleServiceAccount[clientEmail=" + clientEmail + ", privateKey=(hidden), privateKeyId="
        + privateKeyId + ", tokenUri=" + tokenUri + ", projectId=" + projectId + "]";
  }

  /** Checks that {@code value} is an absolute http(s) URL, naming {@code field} if not. */
  static URI requireHttpUrl(String field, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(field + " is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
      throw new IllegalArgumentException(field + " must be an absolute http(s) URL");
    }
    return uri;
  }

  private static PrivateKey privateKeyFromPem(String pem) {
    // A key pasted through an environment variable often keeps its newlines as the two characters "\n".
    String text = pem.replace("\\n", "\n").strip();
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      throw new IllegalArgumentException("private_key is a PKCS#1 RSA key; Google key files hold PKCS#8 "
          + "(\"" + PKCS8_BEGIN + "\"): convert it with 'openssl pkcs8 -topk8 -nocrypt'");
    }
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new IllegalArgumentException("private_key is encrypted; a service-account key must be unencrypted");
    }
    int begin = text.indexOf(PKCS8_BEGIN);
    int end = text.indexOf(PKCS8_END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("private_key is not a PEM block \"" + PKCS8_BEGIN + "\" ... \""
          + PKCS8_END + "\"");
    }
    String base64 = text.substring(begin + PKCS8_BEGIN.length(), end).replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("private_key's PEM body is not valid base64");
    }
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      // The provider's message may describe the DER it choked on; say only what is wrong.
      throw new IllegalArgumentException("private_key is not an RSA private key in PKCS#8 form");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static String requiredText(JsonNode root, String field) {
    String value = optionalText(root, field);
    if (value == null) {
      throw new IllegalArgumentException("Service-account key has no " + field);
    }
    return value;
  }

  private static String optionalText(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException("Service-account key's " + field + " is not a string");
    }
    String value = node.asText().strip();
    return value.isEmpty() ? null : value;
  }
}
