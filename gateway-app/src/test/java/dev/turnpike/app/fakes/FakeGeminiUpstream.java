package dev.turnpike.app.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Gemini API (Google AI Studio) on 127.0.0.1: {@code POST /v1beta/models/{model}:generateContent},
 * {@code :streamGenerateContent?alt=sse} and {@code :countTokens} ({@code generative_service.proto}). Strict where
 * Gemini is ({@link GeminiRequestRules}): unknown fields, roles other than user/model, empty parts, invalid function
 * names or parameter schemas, call turns not answered by exactly their responses, and for Gemini 3 models calls of
 * the current turn without the signature this fake issued are refused with Google's 400. The key must come in
 * {@code x-goog-api-key}: none is a 403 {@code PERMISSION_DENIED}, a wrong one Google's 400
 * {@code API_KEY_INVALID} (a key in the URL counts as none here, so a test sees it). Answers follow
 * {@link GeminiWire}.
 */
public final class FakeGeminiUpstream extends FakeUpstream<FakeGeminiUpstream> {
  private static final Pattern PATH = Pattern.compile("/v1beta/models/([^/:]+):(generateContent|streamGenerateContent|countTokens)");
  private final GeminiWire wire = new GeminiWire(this, GeminiRequestRules.Api.AI_STUDIO);
  private volatile String apiKey;

  public FakeGeminiUpstream(Vertx vertx) {
    super(vertx);
  }

  /** Only this key, in {@code x-goog-api-key}, is accepted (null: any key, but one is still required). */
  public FakeGeminiUpstream apiKey(String key) {
    this.apiKey = key;
    return this;
  }

  /** The model of a request, decoded from its path. */
  public static String modelOf(RecordedRequest request) {
    Matcher m = PATH.matcher(request.path());
    return m.matches() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
  }

  @Override
  protected void route(RecordedRequest rec, HttpServerRequest http) {
    Matcher path = PATH.matcher(rec.path());
    if (!rec.method().equals("POST") || !path.matches()) {
      wire.error(http, Reply.text(""), 404, "Method not found.", null);
      return;
    }
    String key = rec.header("x-goog-api-key");
    if (key == null) {
      wire.error(http, Reply.text(""), 403, "Method doesn't allow unregistered callers (callers without established "
          + "identity). Please use API Key or other form of API consumer identity to call this API.", null);
      return;
    }
    if (apiKey != null && !apiKey.equals(key)) {
      send(http, Reply.text(""), 400, headers("content-type", "application/json; charset=UTF-8"), List.of(
          new JsonObject().put("error", new JsonObject().put("code", 400)
              .put("message", "API key not valid. Please pass a valid API key.").put("status", "INVALID_ARGUMENT")
              .put("details", new JsonArray().add(new JsonObject()
                  .put("@type", "type.googleapis.com/google.rpc.ErrorInfo").put("reason", "API_KEY_INVALID")
                  .put("domain", "googleapis.com")))).toBuffer()), false);
      return;
    }
    String model = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
    JsonObject body = rec.json();
    if (body == null) {
      wire.error(http, Reply.text(""), 400, "Invalid JSON payload received. Unexpected token.", null);
      return;
    }
    String method = path.group(2);
    if (method.equals("countTokens")) {
      String problem = GeminiRequestRules.problemWithCount(body, GeminiRequestRules.Api.AI_STUDIO, model);
      if (problem != null) {
        wire.error(http, Reply.text(""), 400, problem, null);
        return;
      }
      send(http, Reply.text(""), 200, headers("content-type", "application/json; charset=UTF-8"), List.of(
          new JsonObject().put("totalTokens", Math.max(1, rec.body().length() / 4)).toBuffer()), false);
      return;
    }
    boolean stream = method.equals("streamGenerateContent");
    if (stream && !"alt=sse".equals(rec.query())) {
      wire.error(http, Reply.text(""), 400, "fake upstream: streams only as SSE (alt=sse)", null);
      return;
    }
    String problem = GeminiRequestRules.problemWithGenerate(body, GeminiRequestRules.Api.AI_STUDIO, model,
        wire::issued);
    if (problem != null) {
      wire.error(http, Reply.text(""), 400, problem, null);
      return;
    }
    respond(http, rec, runScript(body), stream, model);
  }

  @Override
  protected void respond(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream, String model) {
    wire.answer(http, rec, reply, stream, model);
  }

  @Override
  protected String bashToolName(JsonObject request) {
    return GeminiWire.bashToolName(request);
  }

  @Override
  protected boolean toolResultAfterLastAssistant(JsonObject request) {
    return GeminiWire.toolResultAfterLastModel(request);
  }

  @Override
  protected boolean containsToolResultFor(JsonObject request, String toolCallId) {
    return wire.containsToolResultFor(request, toolCallId);
  }

  @Override
  protected String toolCallIdPrefix() {
    return "fc_";
  }

  @Override
  protected String presentedKey(RecordedRequest rec) {
    return rec.header("x-goog-api-key");
  }
}
