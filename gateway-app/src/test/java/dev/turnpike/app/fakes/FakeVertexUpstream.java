package dev.turnpike.app.fakes;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Vertex AI for Anthropic models on 127.0.0.1, with the OAuth2 token endpoint beside it:
 * {@code POST /v1/projects/{p}/locations/{l}/publishers/anthropic/models/{m}:rawPredict}, {@code :streamRawPredict}
 * and {@code .../models/count-tokens:rawPredict} (Anthropic's "Claude on Vertex AI" guide and Google's
 * "Use Anthropic's Claude models" reference), and {@code POST /token}, Google's JWT-bearer grant (RFC 7523;
 * "Using OAuth 2.0 for Server to Server Applications"). Strict: a model call needs a bearer token this fake
 * issued, for its project and region; the body needs {@code anthropic_version: "vertex-2023-10-16"} and has no
 * {@code model} (count-tokens has one); the token request needs a JWT signed by the service account's key with
 * its email as issuer and this token URL as audience. Answers are Anthropic's SSE and JSON; errors from the
 * front end are Google's {@code {"error": {code, message, status}}}.
 *
 * <p>Google's own Gemini models are served too, at {@code .../publishers/google/models/{m}:generateContent},
 * {@code :streamGenerateContent?alt=sse} and {@code :countTokens}, as strict as {@link FakeGeminiUpstream} with
 * Vertex's differences ({@link GeminiRequestRules.Api#VERTEX}: no call ids, a flat count request).
 */
public final class FakeVertexUpstream extends AnthropicFamilyFake<FakeVertexUpstream> {
  private static final Pattern MODEL_PATH = Pattern.compile(
      "/v1/projects/([^/]+)/locations/([^/]+)/publishers/anthropic/models/([^/:]+):(rawPredict|streamRawPredict)");
  private static final Pattern GEMINI_PATH = Pattern.compile("/v1/projects/([^/]+)/locations/([^/]+)/publishers/google"
      + "/models/([^/:]+):(generateContent|streamGenerateContent|countTokens)");
  private final GeminiWire gemini = new GeminiWire(this, GeminiRequestRules.Api.VERTEX);
  private final PublicKey accountKey;
  private final String accountEmail;
  private final String project;
  private final String region;
  private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private volatile int tokenLifetimeSeconds = 3600;
  private volatile int tokenFailureStatus;

  public FakeVertexUpstream(Vertx vertx, PublicKey accountKey, String accountEmail, String project, String region) {
    super(vertx);
    this.accountKey = accountKey;
    this.accountEmail = accountEmail;
    this.project = project;
    this.region = region;
  }

  public String tokenUrl() {
    return baseUrl() + "/token";
  }

  public int tokenRequests() {
    return tokenRequests.get();
  }

  /** The token endpoint answers this status (0: it works) from now on. */
  public FakeVertexUpstream tokenFailure(int status) {
    this.tokenFailureStatus = status;
    return this;
  }

  public FakeVertexUpstream tokenLifetimeSeconds(int seconds) {
    this.tokenLifetimeSeconds = seconds;
    return this;
  }

  /** Forgets every issued token, as if they all expired. */
  public void revokeTokens() {
    issuedTokens.clear();
  }

  @Override
  protected void route(RecordedRequest rec, HttpServerRequest http) {
    if (rec.method().equals("POST") && rec.path().equals("/token")) {
      token(rec, http);
      return;
    }
    Matcher path = MODEL_PATH.matcher(rec.path());
    Matcher geminiPath = GEMINI_PATH.matcher(rec.path());
    if (rec.method().equals("POST") && geminiPath.matches()) {
      if (authorized(rec, http, geminiPath.group(1), geminiPath.group(2))) {
        routeGemini(rec, http, URLDecoder.decode(geminiPath.group(3), StandardCharsets.UTF_8), geminiPath.group(4));
      }
      return;
    }
    if (!rec.method().equals("POST") || !path.matches()) {
      google(http, 404, "NOT_FOUND", "The requested URL " + rec.path() + " was not found on this server.");
      return;
    }
    if (!authorized(rec, http, path.group(1), path.group(2))) {
      return;
    }
    String model = URLDecoder.decode(path.group(3), StandardCharsets.UTF_8);
    boolean counting = model.equals("count-tokens");
    JsonObject body = rec.json();
    String problem = body == null ? "request body is not valid JSON" : problemWith(body, counting);
    if (problem != null) {
      respond(http, rec, Reply.error(400, "invalid_request_error", problem), false, null);
      return;
    }
    if (counting) {
      sendJson(http, Reply.text(""), 200, new JsonObject().put("input_tokens", Math.max(1, rec.body().length() / 4)));
      return;
    }
    boolean stream = path.group(4).equals("streamRawPredict");
    respond(http, rec, runScript(body), stream, model);
  }

  /** A token this fake issued, for its own project and region; otherwise Google's error is sent. */
  private boolean authorized(RecordedRequest rec, HttpServerRequest http, String pathProject, String pathRegion) {
    String auth = rec.header("authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !issuedTokens.contains(auth.substring(7))) {
      google(http, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 "
          + "access token, login cookie or other valid authentication credential.");
      return false;
    }
    if (!pathProject.equals(project) || !pathRegion.equals(region)) {
      google(http, 403, "PERMISSION_DENIED", "Permission denied on resource project " + pathProject + ".");
      return false;
    }
    return true;
  }

  private void routeGemini(RecordedRequest rec, HttpServerRequest http, String model, String method) {
    JsonObject body = rec.json();
    if (body == null) {
      google(http, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
      return;
    }
    if (method.equals("countTokens")) {
      String problem = GeminiRequestRules.problemWithCount(body, GeminiRequestRules.Api.VERTEX, model);
      if (problem != null) {
        google(http, 400, "INVALID_ARGUMENT", problem);
      } else {
        sendJson(http, Reply.text(""), 200, new JsonObject().put("totalTokens", Math.max(1, rec.body().length() / 4))
            .put("totalBillableCharacters", rec.body().length()));
      }
      return;
    }
    boolean stream = method.equals("streamGenerateContent");
    String problem = stream && !"alt=sse".equals(rec.query()) ? "fake upstream: streams only as SSE (alt=sse)"
        : GeminiRequestRules.problemWithGenerate(body, GeminiRequestRules.Api.VERTEX, model, gemini::issued);
    if (problem != null) {
      google(http, 400, "INVALID_ARGUMENT", problem);
      return;
    }
    gemini.answer(http, rec, runScript(body), stream, model);
  }

  // A Gemini request has contents; the default script and the test helpers read it Gemini's way.

  @Override
  protected String bashToolName(JsonObject request) {
    return request.containsKey("contents") ? GeminiWire.bashToolName(request) : super.bashToolName(request);
  }

  @Override
  protected boolean toolResultAfterLastAssistant(JsonObject request) {
    return request.containsKey("contents") ? GeminiWire.toolResultAfterLastModel(request)
        : super.toolResultAfterLastAssistant(request);
  }

  @Override
  protected boolean containsToolResultFor(JsonObject request, String toolCallId) {
    return request.containsKey("contents") ? gemini.containsToolResultFor(request, toolCallId)
        : super.containsToolResultFor(request, toolCallId);
  }

  private static String problemWith(JsonObject body, boolean counting) {
    if (!"vertex-2023-10-16".equals(body.getValue("anthropic_version"))) {
      return "anthropic_version: Input should be 'vertex-2023-10-16'";
    }
    if (!counting && body.containsKey("model")) {
      return "model: Extra inputs are not permitted (the model is named in the URL)";
    }
    if (counting && !(body.getValue("model") instanceof String)) {
      return "model: Field required";
    }
    return null;
  }

  private void token(RecordedRequest rec, HttpServerRequest http) {
    tokenRequests.incrementAndGet();
    if (tokenFailureStatus != 0) {
      send(http, Reply.text(""), tokenFailureStatus, headers("content-type", "application/json"),
          List.of(Buffer.buffer("{\"error\":\"internal_failure\"}")), false);
      return;
    }
    String form = rec.body().toString(StandardCharsets.UTF_8);
    String grant = formValue(form, "grant_type");
    String assertion = formValue(form, "assertion");
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grant) || assertion == null
        || !validAssertion(assertion)) {
      send(http, Reply.text(""), 400, headers("content-type", "application/json"), List.of(Buffer.buffer(
          "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}")), false);
      return;
    }
    String token = "ya29.fake-" + nextId("");
    issuedTokens.add(token);
    send(http, Reply.text(""), 200, headers("content-type", "application/json"), List.of(new JsonObject()
        .put("access_token", token).put("expires_in", tokenLifetimeSeconds).put("token_type", "Bearer")
        .toBuffer()), false);
  }

  private boolean validAssertion(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(accountKey);
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return false;
      }
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      long now = System.currentTimeMillis() / 1000;
      return "RS256".equals(header.getString("alg")) && accountEmail.equals(claims.getString("iss"))
          && tokenUrl().equals(claims.getString("aud")) && claims.getString("scope", "").contains("cloud-platform")
          && claims.getLong("exp", 0L) > now && claims.getLong("iat", Long.MAX_VALUE) <= now + 60;
    } catch (Exception e) {
      return false;
    }
  }

  private static String formValue(String form, String name) {
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private void google(HttpServerRequest http, int status, String code, String message) {
    MultiMap h = headers("content-type", "application/json; charset=UTF-8");
    send(http, Reply.text(""), status, h, List.of(new JsonObject().put("error", new JsonObject()
        .put("code", status).put("message", message).put("status", code)).toBuffer()), false);
  }

  @Override
  protected void respond(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream, String model) {
    anthropicAnswer(http, rec, reply, stream, model);
  }

  @Override
  protected String presentedKey(RecordedRequest rec) {
    return null; // Vertex checks OAuth tokens; see route()
  }
}
