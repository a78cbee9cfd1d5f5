package dev.turnpike.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake IdP speaks what an OIDC client needs: discovery, code + PKCE, a signed id_token, refresh, userinfo. */
class FakeOidcTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final FakeOidc.User USER = new FakeOidc.User("u1", "u1@example.com", "U One", List.of("g1"));

  @Test
  void signsInWithPkceRefreshesAndServesUserinfo() throws Exception {
    try (FakeOidc oidc = FakeOidc.start("client", "secret", USER)) {
      JsonObject discovery = getJson(oidc.issuer() + "/.well-known/openid-configuration");
      assertEquals(oidc.issuer(), discovery.getString("issuer"));

      String verifier = "verifier-0123456789-0123456789-0123456789-abc";
      String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
      String code = authorize(discovery, challenge);

      String basic = "Basic " + Base64.getEncoder().encodeToString("client:secret".getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> wrong = token(discovery, basic, "grant_type=authorization_code&code=" + enc(code)
          + "&redirect_uri=" + enc("http://127.0.0.1:1/cb") + "&code_verifier=not-the-verifier");
      assertEquals(400, wrong.statusCode(), "a wrong PKCE verifier is refused");

      code = authorize(discovery, challenge); // a code is good once, even when its exchange failed
      JsonObject tokens = new JsonObject(token(discovery, basic, "grant_type=authorization_code&code=" + enc(code)
          + "&redirect_uri=" + enc("http://127.0.0.1:1/cb") + "&code_verifier=" + verifier).body());
      JsonObject idClaims = verifiedClaims(tokens.getString("id_token"), getJson(discovery.getString("jwks_uri")));
      assertEquals("u1", idClaims.getString("sub"));
      assertEquals("client", idClaims.getString("aud"));
      assertEquals("n-1", idClaims.getString("nonce"));
      assertEquals(oidc.issuer(), idClaims.getString("iss"));

      HttpResponse<String> info = HTTP.send(HttpRequest.newBuilder(URI.create(discovery.getString("userinfo_endpoint")))
          .header("authorization", "Bearer " + tokens.getString("access_token")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("u1@example.com", new JsonObject(info.body()).getString("email"));

      // client_secret_post this time; the refresh token is rotated
      JsonObject refreshed = new JsonObject(token(discovery, null, "grant_type=refresh_token&client_id=client"
          + "&client_secret=secret&refresh_token=" + enc(tokens.getString("refresh_token"))).body());
      assertNotEquals(tokens.getString("refresh_token"), refreshed.getString("refresh_token"));
      assertEquals(400, token(discovery, basic, "grant_type=refresh_token&refresh_token="
          + enc(tokens.getString("refresh_token"))).statusCode(), "a used refresh token is refused");
    }
  }

  private static String authorize(JsonObject discovery, String challenge) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(discovery.getString("authorization_endpoint")
        + "?response_type=code&client_id=client&redirect_uri=" + enc("http://127.0.0.1:1/cb")
        + "&scope=openid&state=s-1&nonce=n-1&code_challenge=" + challenge + "&code_challenge_method=S256")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(302, r.statusCode());
    String location = r.headers().firstValue("location").orElseThrow();
    assertTrue(location.startsWith("http://127.0.0.1:1/cb?code="), location);
    assertTrue(location.endsWith("&state=s-1"), location);
    return URLDecoder.decode(location.substring(location.indexOf("code=") + 5, location.indexOf("&state")),
        StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> token(JsonObject discovery, String basic, String form) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(discovery.getString("token_endpoint")))
        .header("content-type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    if (basic != null) {
      b.header("authorization", basic);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject verifiedClaims(String jwt, JsonObject jwks) throws Exception {
    String[] parts = jwt.split("\\.");
    JsonObject key = jwks.getJsonArray("keys").getJsonObject(0);
    Base64.Decoder d = Base64.getUrlDecoder();
    PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, d.decode(key.getString("n"))), new BigInteger(1, d.decode(key.getString("e")))));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(pub);
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(rsa.verify(d.decode(parts[2])), "id_token signature verifies with the JWKS key");
    assertEquals(key.getString("kid"), new JsonObject(new String(d.decode(parts[0]), StandardCharsets.UTF_8))
        .getString("kid"));
    return new JsonObject(new String(d.decode(parts[1]), StandardCharsets.UTF_8));
  }

  private static JsonObject getJson(String url) throws Exception {
    return new JsonObject(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
