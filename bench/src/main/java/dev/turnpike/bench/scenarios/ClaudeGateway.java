package dev.turnpike.bench.scenarios;

import dev.turnpike.bench.Endpoint;
import dev.turnpike.bench.Env;
import dev.turnpike.bench.FakeOidc;
import dev.turnpike.bench.Postgres;
import dev.turnpike.bench.Prices;
import dev.turnpike.bench.Proc;
import dev.turnpike.bench.Scenario;
import dev.turnpike.bench.SpendCap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The peer for {@code governed}: Anthropic's Claude apps gateway ({@code claude gateway}, inside the pinned
 * {@code @anthropic-ai/claude-code} package, one Bun process) with spend metering on, against the same fake
 * (Anthropic dialect, the "std" answer) and the same Claude Code bodies. {@code scripts/install-claude-code.sh}
 * installs it into {@code ~/.cache/turnpike/claude-code-2.1.332} (or {@code TURNPIKE_CLAUDE_CODE_DIR}).
 *
 * <p>It needs what it needs in production: PostgreSQL (a database of its own per run, {@link Postgres}) and an
 * OIDC issuer ({@link FakeOidc}, on loopback; it is only asked at start). Spend metering is its {@code admin}
 * block with a price for the fake's model and a daily spend limit on the load's user far above what the ladder
 * spends. Clients present the gateway's own session token, an HS256 JWT signed with {@code session.jwt_secret},
 * minted here exactly as its sign-in mints it. Each cap of the plan's burst gets a user with that daily limit.
 * If the CLI is missing or PostgreSQL does not answer, the scenario fails with the reason and the run goes on.
 */
public final class ClaudeGateway implements Scenario {
  static final String VERSION = "2.1.332";
  static final String MODEL = "claude-bench";
  static final String DATABASE = "claude_gateway_bench";
  private static final String UPSTREAM = "fake";
  private static final String LOAD_USER = "bench-user";
  /** The load user's daily limit, as for governed's budgets: metered and checked, never reached. */
  private static final long LOAD_LIMIT_USD = 1_000_000;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Override
  public String name() {
    return "claude-gateway";
  }

  @Override
  public String description() {
    return "Claude apps gateway (claude-code " + VERSION + " `claude gateway`), spend metering on, same fake and "
        + "bodies as governed";
  }

  @Override
  public int order() {
    return 91;
  }

  @Override
  public boolean peer() {
    return true;
  }

  /** It needs PostgreSQL and a 400 MB npm package: CI's smoke test stays without it unless named. */
  @Override
  public boolean inQuickRun() {
    return false;
  }

  static Path binary() {
    return Env.cachedInstall("TURNPIKE_CLAUDE_CODE_DIR", "claude-code-" + VERSION).resolve("node_modules/.bin/claude");
  }

  @Override
  public Running start(Env env) throws Exception {
    Path bin = binary();
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException("claude-code " + VERSION + " is not installed at " + bin
          + " (scripts/install-claude-code.sh installs it; it needs npm and the npm registry)");
    }
    Postgres pg = Postgres.fromEnv();
    String pgVersion;
    try {
      pgVersion = pg.recreate(DATABASE);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("PostgreSQL is unreachable at " + pg.describe() + " (" + e.getMessage()
          + "); the Claude apps gateway keeps its state there (set " + Postgres.ENV + " to another local server)");
    }
    String jwtSecret = secret();
    String readKey = secret();
    String writeKey = secret();
    FakeOidc oidc = FakeOidc.start("claude-gateway-bench", secret(),
        new FakeOidc.User(LOAD_USER, "bench@example.com", "Bench User", List.of("bench")));
    Proc proc = null;
    try {
      int port = Env.freePort();
      String publicUrl = "http://127.0.0.1:" + port;
      Path home = env.workDir().resolve("claude-gateway-home"); // a fresh HOME: no settings or login of this machine
      Files.createDirectories(home);
      // JSON is YAML: the gateway reads it as its gateway.yaml, and no value needs YAML quoting
      Path config = env.workDir().resolve("claude-gateway.yaml");
      Files.writeString(config, config(env, port, publicUrl, oidc, jwtSecret, readKey, writeKey, pg).encodePrettily());
      proc = Proc.start("claude-gateway", List.of(bin.toString(), "gateway", "--config", config.toString()), home,
          Map.of("HOME", home.toString(),
              "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_TELEMETRY", "1", "DISABLE_AUTOUPDATER", "1",
              // its SSRF guard refuses loopback URLs (the fake, the OIDC issuer) without it
              "CLAUDE_GATEWAY_ALLOW_LOOPBACK", "1", "NO_COLOR", "1"),
          env.workDir().resolve("claude-gateway.log"), null);
      env.waitReady(proc, port, "/readyz", Duration.ofSeconds(60));
      setLimit(port, writeKey, LOAD_USER, LOAD_LIMIT_USD * 100);
      String token = sessionToken(jwtSecret, publicUrl, LOAD_USER, 24 * 3600);
      Endpoint endpoint = Endpoint.anthropic(port, "/v1/messages?beta=true", MODEL)
          .withCredential("authorization", "Bearer " + token);
      List<SpendCap> caps = new ArrayList<>();
      List<Double> capsUsd = env.plan().burst().capsUsd();
      for (int i = 0; i < capsUsd.size(); i++) {
        String user = "bench-burst-" + (i + 1);
        long cents = Math.round(capsUsd.get(i) * 100); // its limits are whole cents
        setLimit(port, writeKey, user, cents);
        caps.add(new SpendCap(cents / 100.0, List.of(Endpoint.anthropic(port, "/v1/messages?beta=true", MODEL)
            .withCredential("authorization", "Bearer " + sessionToken(jwtSecret, publicUrl, user, 24 * 3600))),
            () -> spent(port, readKey, user),
            "checks what the user has spent against the limit before a request and records the cost when it "
                + "ends (daily user limit through its admin API)"));
      }
      Proc running = proc;
      String note = "claude-code " + VERSION + " `claude gateway` (one Bun process), spend metering on (admin block, "
          + "pricing override, daily user limit $" + LOAD_LIMIT_USD + "); PostgreSQL " + pgVersion + " (database "
          + DATABASE + ", its default 5 connections); fake OIDC on loopback";
      return new Running() {
        @Override
        public List<Endpoint> endpoints() {
          return List.of(endpoint);
        }

        @Override
        public List<Proc> processes() {
          return List.of(running);
        }

        @Override
        public String note() {
          return note;
        }

        @Override
        public List<SpendCap> spendCaps() {
          return caps;
        }

        @Override
        public void close() {
          running.stop(Duration.ofSeconds(5));
          oidc.close();
        }
      };
    } catch (Exception e) {
      if (proc != null) {
        proc.stop(Duration.ofSeconds(5));
      }
      oidc.close();
      throw e;
    }
  }

  private static JsonObject config(Env env, int port, String publicUrl, FakeOidc oidc, String jwtSecret,
                                   String readKey, String writeKey, Postgres pg) {
    Prices prices = Prices.BENCH;
    return new JsonObject()
        .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", port).put("public_url", publicUrl))
        .put("oidc", new JsonObject().put("issuer", oidc.issuer()).put("client_id", oidc.clientId())
            .put("client_secret", oidc.clientSecret()))
        .put("session", new JsonObject().put("jwt_secret", jwtSecret).put("ttl_hours", 24))
        .put("store", new JsonObject().put("postgres_url", pg.url(DATABASE)))
        .put("upstreams", new JsonArray().add(new JsonObject().put("name", UPSTREAM).put("provider", "anthropic")
            .put("base_url", env.fakeBaseUrl("std"))
            .put("auth", new JsonObject().put("api_key", "sk-bench-upstream"))))
        // an unknown model id is refused ("not in the operator's model allowlist") unless listed
        .put("models", new JsonArray().add(new JsonObject().put("id", MODEL)
            .put("upstream_model", new JsonObject().put(UPSTREAM, MODEL))))
        .put("admin", new JsonObject()
            .put("read_keys", new JsonArray().add(new JsonObject().put("id", "bench-reader").put("key", readKey)))
            .put("write_keys", new JsonArray().add(new JsonObject().put("id", "bench-writer").put("key", writeKey))))
        .put("pricing", new JsonObject().put("overrides", new JsonArray().add(new JsonObject()
            .put("upstream", UPSTREAM).put("model", MODEL).put("input", prices.input())
            .put("output", prices.output()).put("cache_read", prices.cacheRead())
            .put("cache_write", prices.cacheWrite()))));
  }

  /** {@code POST /v1/organizations/spend_limits}: a daily limit on one user, in whole cents as a string. */
  private static void setLimit(int port, String writeKey, String user, long cents) throws Exception {
    JsonObject body = new JsonObject()
        .put("scope", new JsonObject().put("type", "user").put("user_id", user))
        .put("amount", String.valueOf(cents)).put("period", "daily");
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/v1/organizations/spend_limits")).timeout(Duration.ofSeconds(10)).header("x-api-key", writeKey)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("setting the spend limit of " + user + " failed: " + r.statusCode() + " "
          + r.body());
    }
  }

  /** The user's spend today as the gateway's admin API reports it (cents, as a decimal string). */
  private static SpendCap.Reading spent(int port, String readKey, String user) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/v1/organizations/spend_limits/effective?user_ids%5B%5D=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&period%5B%5D=daily")).timeout(Duration.ofSeconds(5)).header("x-api-key", readKey).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET spend_limits/effective: " + r.statusCode() + " " + r.body());
    }
    for (Object o : new JsonObject(r.body()).getJsonArray("data")) {
      JsonObject row = (JsonObject) o;
      if ("daily".equals(row.getString("period"))) {
        return new SpendCap.Reading(Double.parseDouble(row.getString("period_to_date_spend", "0")) / 100, 0);
      }
    }
    throw new IllegalStateException("no daily spend for " + user + " in " + r.body());
  }

  /**
   * The gateway's own session token for {@code sub}, as its sign-in mints it: HS256 over {@code jwt_secret}, the
   * key id the first 8 bytes of the secret's SHA-256 in hex, audience {@code claude-gateway}, issuer its public
   * URL, and the user's email, name and groups.
   */
  static String sessionToken(String jwtSecret, String issuer, String sub, long ttlSeconds) throws Exception {
    byte[] secret = jwtSecret.getBytes(StandardCharsets.UTF_8);
    String kid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret), 0, 8);
    long now = System.currentTimeMillis() / 1000;
    JsonObject header = new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", kid);
    JsonObject claims = new JsonObject().put("sub", sub).put("email", sub + "@example.com").put("name", sub)
        .put("groups", new JsonArray().add("bench")).put("aud", "claude-gateway").put("iss", issuer)
        .put("iat", now).put("exp", now + ttlSeconds);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signed = b64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return signed + "." + b64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
  }

  /** 43 URL-safe characters from 32 random bytes: above the gateway's 32-character minimum for secrets and keys. */
  private static String secret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
