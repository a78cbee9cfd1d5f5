package dev.turnpike.provider.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The signed JWT a service account presents to Google's token endpoint in the JWT-bearer grant (RFC 7523 §2.1):
 * RS256 (RFC 7518 §3.3) over the base64url header and claims, all without padding (RFC 7515 §2).
 */
final class JwtBearerAssertion {
  /** The longest an assertion may live for Google's token endpoint. */
  static final Duration LIFETIME = Duration.ofHours(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private JwtBearerAssertion() {}

  /**
   * The compact JWT asking for {@code scope} on behalf of {@code account}, addressed to {@code audience} (the
   * token URL it is posted to), valid from {@code issuedAt} for {@link #LIFETIME}.
   */
  static String create(GoogleServiceAccount account, String scope, String audience, Instant issuedAt)
      throws GeneralSecurityException {
    ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
    if (account.privateKeyId() != null) {
      header.put("kid", account.privateKeyId()); // lets Google pick the right public key without trying each
    }
    long iat = issuedAt.getEpochSecond();
    ObjectNode claims = JSON.createObjectNode()
        .put("iss", account.clientEmail())
        .put("scope", scope)
        .put("aud", audience)
        .put("iat", iat)
        .put("exp", iat + LIFETIME.toSeconds());
    String signingInput = base64url(header) + "." + base64url(claims);
    return signingInput + "." + signRs256(signingInput, account.privateKey());
  }

  /** The base64url RS256 signature of {@code signingInput}'s ASCII bytes. */
  static String signRs256(String signingInput, PrivateKey key) throws GeneralSecurityException {
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return BASE64URL.encodeToString(rsa.sign());
  }

  private static String base64url(ObjectNode json) {
    try {
      return BASE64URL.encodeToString(JSON.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }
}
