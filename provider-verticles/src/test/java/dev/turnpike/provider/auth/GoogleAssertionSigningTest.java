package dev.turnpike.provider.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RS256 JWT-bearer assertion: a published vector for the signature, then the shape Google expects. */
class GoogleAssertionSigningTest {
  private static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  private static final String AUDIENCE = "https://oauth2.googleapis.com/token";

  /** RFC 7515 Appendix A.2, see {@code fixtures/jose/README.md}. */
  @Test
  void should_reproduce_the_rfc7515_a2_signature_with_its_key_read_from_a_service_account_file() throws Exception {
    JsonNode vector = ServiceAccountFiles.JSON.readTree(
        Files.readAllBytes(Path.of(getClass().getResource("/fixtures/jose/rfc7515-a2-rs256.json").toURI())));
    JsonNode jwk = vector.path("key");
    KeyFactory rsa = KeyFactory.getInstance("RSA");
    PrivateKey key = rsa.generatePrivate(new RSAPrivateCrtKeySpec(big(jwk, "n"), big(jwk, "e"), big(jwk, "d"),
        big(jwk, "p"), big(jwk, "q"), big(jwk, "dp"), big(jwk, "dq"), big(jwk, "qi")));
    ObjectNode file = ServiceAccountFiles.file(AUDIENCE).put("private_key", ServiceAccountFiles.pem(key));
    GoogleServiceAccount account = GoogleServiceAccount.parse(file.toString());

    String signature = JwtBearerAssertion.signRs256(vector.path("signing_input").asText(), account.privateKey());

    assertEquals(vector.path("signature").asText(), signature);
  }

  @Test
  void should_sign_the_header_and_claims_google_expects_when_creating_an_assertion() throws Exception {
    GoogleServiceAccount account = GoogleServiceAccount.parse(ServiceAccountFiles.file(AUDIENCE).toString());
    Instant issuedAt = Instant.parse("2030-01-02T03:04:05Z");

    String jwt = JwtBearerAssertion.create(account, SCOPE, AUDIENCE, issuedAt);
    Jwt parsed = Jwt.parse(jwt);

    assertEquals(ServiceAccountFiles.JSON.readTree(
        "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + ServiceAccountFiles.KEY_ID + "\"}"), parsed.header());
    assertEquals(List.of("aud", "exp", "iat", "iss", "scope"), parsed.claimNames());
    assertEquals(ServiceAccountFiles.CLIENT_EMAIL, parsed.claims().path("iss").asText());
    assertEquals(SCOPE, parsed.claims().path("scope").asText());
    assertEquals(AUDIENCE, parsed.claims().path("aud").asText());
    assertEquals(issuedAt.getEpochSecond(), parsed.claims().path("iat").asLong());
    assertEquals(issuedAt.getEpochSecond() + 3600, parsed.claims().path("exp").asLong());
    assertTrue(parsed.verifies(ServiceAccountFiles.KEYS.getPublic()), "RS256 over header.claims");
    assertFalse(jwt.contains("="), "base64url without padding");
  }

  @Test
  void should_leave_out_kid_when_the_key_file_has_no_key_id() throws Exception {
    ObjectNode file = ServiceAccountFiles.file(AUDIENCE);
    file.remove("private_key_id");
    GoogleServiceAccount account = GoogleServiceAccount.parse(file.toString());

    Jwt parsed = Jwt.parse(JwtBearerAssertion.create(account, SCOPE, AUDIENCE, Instant.EPOCH.plusSeconds(1)));

    assertFalse(parsed.header().has("kid"));
    assertTrue(parsed.verifies(ServiceAccountFiles.KEYS.getPublic()));
  }

  @Test
  void should_fail_verification_under_another_key_so_the_check_above_means_something() throws Exception {
    GoogleServiceAccount account = GoogleServiceAccount.parse(ServiceAccountFiles.file(AUDIENCE).toString());
    Jwt parsed = Jwt.parse(JwtBearerAssertion.create(account, SCOPE, AUDIENCE, Instant.now()));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    PublicKey other = generator.generateKeyPair().getPublic();

    assertFalse(parsed.verifies(other));
    RSAPublicKeySpec ours = KeyFactory.getInstance("RSA")
        .getKeySpec(ServiceAccountFiles.KEYS.getPublic(), RSAPublicKeySpec.class);
    assertNotEquals(ours.getModulus(), ((RSAPublicKey) other).getModulus());
  }

  private static BigInteger big(JsonNode jwk, String field) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path(field).asText()));
  }

  /** A compact JWT taken apart by hand, independent of the code under test. */
  record Jwt(String signingInput, JsonNode header, JsonNode claims, byte[] signature) {
    static Jwt parse(String compact) throws Exception {
      String[] parts = compact.split("\\.", -1);
      assertEquals(3, parts.length, "header.claims.signature");
      Base64.Decoder url = Base64.getUrlDecoder();
      return new Jwt(parts[0] + "." + parts[1],
          ServiceAccountFiles.JSON.readTree(url.decode(parts[0])),
          ServiceAccountFiles.JSON.readTree(url.decode(parts[1])),
          url.decode(parts[2]));
    }

    List<String> claimNames() {
      List<String> names = new ArrayList<>();
      claims.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      return names;
    }

    boolean verifies(PublicKey key) throws Exception {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return rsa.verify(signature);
    }
  }
}
