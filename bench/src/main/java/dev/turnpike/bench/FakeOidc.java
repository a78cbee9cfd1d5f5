package dev.turnpike.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal OpenID Connect provider on loopback, for a peer gateway that will not start without one. It knows one
 * user, signs in everyone who asks as that user without a page ({@code /authorize} redirects straight back), and
 * speaks just what an OIDC client library needs: discovery, JWKS (one RSA key, RS256), the authorization-code
 * grant with PKCE (S256 only, as a real IdP that requires it), refresh tokens and userinfo. The load itself never
 * reaches it: the peer's own session tokens are checked by the peer.
 */
public final class FakeOidc implements AutoCloseable {
  /** The one user every sign-in becomes. */
  public record User(String sub, String email, String name, java.util.List<String> groups) {
    JsonObject claims() {
      return new JsonObject().put("sub", sub).put("email", email).put("email_verified", true).put("name", name)
          .put("groups", new JsonArray(groups));
    }
  }

  private record Grant(String clientId, String redirectUri, String challenge, String nonce, String scope) {}

  private static final String KID = "bench-oidc-1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String clientId;
  private final String clientSecret;
  private final User user;
  private final KeyPair keys;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
  private final Map<String, Boolean> accessTokens = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final HttpServer server;
  private final String issuer;

  private FakeOidc(String clientId, String clientSecret, User user) throws Exception {
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.user = user;
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048); // openid-client and jose refuse RS256 keys under 2048 bits
    this.keys = generator.generateKeyPair();
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle).listen().await();
    this.issuer = "http://127.0.0.1:" + server.actualPort();
  }

  /** Starts one on a free loopback port. */
  public static FakeOidc start(String clientId, String clientSecret, User user) throws Exception {
    return new FakeOidc(clientId, clientSecret, user);
  }

  /** The issuer URL (also the base of every endpoint). */
  public String issuer() {
    return issuer;
  }

  public String clientId() {
    return clientId;
  }

  public String clientSecret() {
    return clientSecret;
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      try {
        switch (request.path()) {
          case "/.well-known/openid-configuration" -> json(request, 200, discovery());
          case "/jwks" -> json(request, 200, new JsonObject().put("keys", new JsonArray().add(jwk())));
          case "/authorize" -> authorize(request);
          case "/token" -> token(request, form(body.toString(StandardCharsets.UTF_8)));
          case "/userinfo" -> userinfo(request);
          default -> json(request, 404, new JsonObject().put("error", "not_found"));
        }
      } catch (Exception e) {
        json(request, 500, new JsonObject().put("error", "server_error").put("error_description", e.toString()));
      }
    });
  }

  private JsonObject discovery() {
    return new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", issuer + "/authorize")
        .put("token_endpoint", issuer + "/token")
        .put("userinfo_endpoint", issuer + "/userinfo")
        .put("jwks_uri", issuer + "/jwks")
        .put("response_types_supported", new JsonArray().add("code"))
        .put("grant_types_supported", new JsonArray().add("authorization_code").add("refresh_token"))
        .put("subject_types_supported", new JsonArray().add("public"))
        .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256"))
        .put("code_challenge_methods_supported", new JsonArray().add("S256"))
        .put("token_endpoint_auth_methods_supported",
            new JsonArray().add("client_secret_basic").add("client_secret_post"))
        .put("scopes_supported", new JsonArray().add("openid").add("email").add("profile").add("offline_access"))
        .put("claims_supported", new JsonArray().add("sub").add("email").add("name").add("groups"));
  }

  private JsonObject jwk() {
    RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
    return new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", KID)
        .put("n", B64.encodeToString(unsigned(pub.getModulus())))
        .put("e", B64.encodeToString(unsigned(pub.getPublicExponent())));
  }

  /** No login page: the one user is signed in at once and sent back with a code. */
  private void authorize(HttpServerRequest request) {
    String redirect = request.getParam("redirect_uri");
    String state = request.getParam("state");
    if (!clientId.equals(request.getParam("client_id")) || redirect == null) {
      json(request, 400, new JsonObject().put("error", "invalid_request"));
      return;
    }
    if (request.getParam("code_challenge") != null && !"S256".equals(request.getParam("code_challenge_method"))) {
      redirect(request, redirect, "error=invalid_request&error_description=S256+only", state);
      return;
    }
    String code = token();
    codes.put(code, new Grant(clientId, redirect, request.getParam("code_challenge"), request.getParam("nonce"),
        request.getParam("scope")));
    redirect(request, redirect, "code=" + enc(code), state);
  }

  private void redirect(HttpServerRequest request, String to, String query, String state) {
    String location = to + (to.contains("?") ? "&" : "?") + query + (state == null ? "" : "&state=" + enc(state));
    request.response().setStatusCode(302).putHeader("location", location).putHeader("cache-control", "no-store")
        .end();
  }

  private void token(HttpServerRequest request, Map<String, String> form) throws Exception {
    if (!clientAuthenticated(request, form)) {
      json(request, 401, new JsonObject().put("error", "invalid_client"));
      return;
    }
    Grant grant;
    switch (String.valueOf(form.get("grant_type"))) {
      case "authorization_code" -> {
        grant = codes.remove(String.valueOf(form.get("code")));
        if (grant == null || !grant.redirectUri().equals(form.get("redirect_uri"))) {
          json(request, 400, new JsonObject().put("error", "invalid_grant"));
          return;
        }
        if (grant.challenge() != null && !grant.challenge().equals(s256(form.get("code_verifier")))) {
          json(request, 400, new JsonObject().put("error", "invalid_grant")
              .put("error_description", "PKCE verification failed"));
          return;
        }
      }
      case "refresh_token" -> {
        grant = refreshTokens.remove(String.valueOf(form.get("refresh_token"))); // rotated, as most IdPs do
        if (grant == null) {
          json(request, 400, new JsonObject().put("error", "invalid_grant"));
          return;
        }
        grant = new Grant(grant.clientId(), grant.redirectUri(), null, null, grant.scope());
      }
      default -> {
        json(request, 400, new JsonObject().put("error", "unsupported_grant_type"));
        return;
      }
    }
    String access = token();
    String refresh = token();
    accessTokens.put(access, true);
    refreshTokens.put(refresh, grant);
    long now = System.currentTimeMillis() / 1000;
    JsonObject idClaims = user.claims().put("iss", issuer).put("aud", clientId).put("azp", clientId)
        .put("iat", now).put("exp", now + 3600);
    if (grant.nonce() != null) {
      idClaims.put("nonce", grant.nonce());
    }
    json(request, 200, new JsonObject().put("access_token", access).put("token_type", "Bearer")
        .put("expires_in", 3600).put("refresh_token", refresh).put("id_token", idToken(idClaims))
        .put("scope", grant.scope() == null ? "openid email profile" : grant.scope()));
  }

  private boolean clientAuthenticated(HttpServerRequest request, Map<String, String> form) {
    String basic = request.getHeader("authorization");
    if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
      String[] pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8)
          .split(":", 2);
      // RFC 6749 2.3.1: both halves are form-urlencoded inside the Basic credentials
      return pair.length == 2 && clientId.equals(dec(pair[0])) && clientSecret.equals(dec(pair[1]));
    }
    return clientId.equals(form.get("client_id")) && clientSecret.equals(form.get("client_secret"));
  }

  private void userinfo(HttpServerRequest request) {
    String auth = String.valueOf(request.getHeader("authorization"));
    if (!auth.startsWith("Bearer ") || !accessTokens.containsKey(auth.substring(7))) {
      request.response().setStatusCode(401).putHeader("www-authenticate", "Bearer error=\"invalid_token\"").end();
      return;
    }
    json(request, 200, user.claims());
  }

  private String idToken(JsonObject claims) throws Exception {
    String header = B64.encodeToString(new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", KID)
        .encode().getBytes(StandardCharsets.UTF_8));
    String payload = B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(keys.getPrivate());
    rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return header + "." + payload + "." + B64.encodeToString(rsa.sign());
  }

  private static String s256(String verifier) throws Exception {
    if (verifier == null) {
      return null;
    }
    return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
  }

  private String token() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return B64.encodeToString(b);
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] b = n.toByteArray();
    return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b; // JWK wants no sign byte
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      if (!pair.isEmpty()) {
        String[] kv = pair.split("=", 2);
        out.put(dec(kv[0]), kv.length > 1 ? dec(kv[1]) : "");
      }
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(Buffer.buffer(body.encode()));
  }
}
