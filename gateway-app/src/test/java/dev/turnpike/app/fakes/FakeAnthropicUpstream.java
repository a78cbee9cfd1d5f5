package dev.turnpike.app.fakes;

import dev.turnpike.app.fakes.Reply.StreamError;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A fake Anthropic Messages API on 127.0.0.1: {@code POST /v1/messages} (streaming and not),
 * {@code POST /v1/messages/count_tokens} and {@code GET /v1/models}, in Anthropic's wire format. (rendering in
 * {@link AnthropicFamilyFake}).
 */
public final class FakeAnthropicUpstream extends AnthropicFamilyFake<FakeAnthropicUpstream> {

  private volatile Function<JsonObject, Reply> countTokensScript;

  public FakeAnthropicUpstream(Vertx vertx) {
    super(vertx);
  }

  /** Scripts count_tokens (default: {@code {"input_tokens": body bytes / 4}}). */
  public FakeAnthropicUpstream countTokensScript(Function<JsonObject, Reply> script) {
    this.countTokensScript = script;
    return this;
  }

  @Override
  protected void route(RecordedRequest rec, HttpServerRequest http) {
    String path = rec.path();
    if (rec.method().equals("GET") && path.equals("/v1/models")) {
      JsonObject model = new JsonObject().put("type", "model").put("id", "claude-sonnet-4-5")
          .put("display_name", "Claude Sonnet 4.5").put("created_at", "2025-09-29T00:00:00Z");
      sendJson(http, Reply.text(""), 200, new JsonObject().put("data", new JsonArray().add(model))
          .put("has_more", false).put("first_id", "claude-sonnet-4-5").put("last_id", "claude-sonnet-4-5"));
      return;
    }
    boolean messages = path.equals("/v1/messages");
    boolean count = path.equals("/v1/messages/count_tokens");
    if (!rec.method().equals("POST") || !(messages || count)) {
      respond(http, rec, Reply.error(404, "not_found_error", "Not found: " + rec.method() + " " + path), false,
          null);
      return;
    }
    if (rec.header("anthropic-version") == null) {
      // The real API refuses a request without it; a gateway that drops the header must notice here.
      respond(http, rec, Reply.error(400, "invalid_request_error", "anthropic-version: header is required"),
          false, null);
      return;
    }
    JsonObject body = rec.json();
    if (body == null) {
      respond(http, rec, Reply.error(400, "invalid_request_error", "request body is not valid JSON"), false,
          null);
      return;
    }
    if (count) {
      Function<JsonObject, Reply> s = countTokensScript;
      if (s != null) {
        respond(http, rec, s.apply(body), false, body.getString("model"));
      } else {
        sendJson(http, Reply.text(""), 200, new JsonObject().put("input_tokens", Math.max(1, rec.body().length() / 4)));
      }
      return;
    }
    respond(http, rec, runScript(body), body.getBoolean("stream", false), body.getString("model"));
  }

  @Override
  protected void respond(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream, String model) {
    anthropicAnswer(http, rec, reply, stream, model);
  }

}
