package dev.turnpike.app.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A fake OpenAI Chat Completions API on 127.0.0.1: {@code POST /v1/chat/completions} (streaming and not) and
 * {@code GET /v1/models}, in OpenAI's wire format.
 *
 * <p>Streaming follows the real API: {@code data: {chunk}\n\n} frames without {@code event:} lines, all chunks
 * sharing one id and {@code created}; the first delta carries the role; a tool call's first chunk carries
 * {@code index}, {@code id}, {@code type} and the name with empty arguments, later chunks carry only
 * {@code index} and small argument fragments; a last choice chunk with an empty delta carries
 * {@code finish_reason}; with {@code stream_options.include_usage} every chunk has {@code "usage":null} and one
 * more chunk with {@code "choices":[]} carries the usage; the stream ends with {@code data: [DONE]}.
 */
public final class FakeOpenAiUpstream extends ChatMessagesFake<FakeOpenAiUpstream> {

  public FakeOpenAiUpstream(Vertx vertx) {
    super(vertx);
  }

  @Override
  protected void route(RecordedRequest rec, HttpServerRequest http) {
    String path = rec.path();
    if (rec.method().equals("GET") && path.equals("/v1/models")) {
      JsonObject model = new JsonObject().put("id", "gpt-test").put("object", "model").put("created", 1700000000L)
          .put("owned_by", "openai");
      send(http, Reply.text(""), 200, headers("content-type", "application/json"),
          List.of(new JsonObject().put("object", "list").put("data", new JsonArray().add(model)).toBuffer()), false);
      return;
    }
    if (!rec.method().equals("POST") || !path.equals("/v1/chat/completions")) {
      respond(http, rec, Reply.error(404, "invalid_request_error",
          "Invalid URL (" + rec.method() + " " + path + ")"), false, null);
      return;
    }
    JsonObject body = rec.json();
    if (body == null) {
      respond(http, rec, Reply.error(400, "invalid_request_error", "We could not parse the JSON body of your request."),
          false, null);
      return;
    }
    respond(http, rec, runScript(body), body.getBoolean("stream", false), body.getString("model"));
  }

  @Override
  protected void respond(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream, String model) {
    switch (reply.kind) {
      case RAW -> send(http, reply, reply.status, headers("content-type", reply.contentType),
          List.of(reply.rawBody), false);
      case ERROR -> {
        var h = headers("content-type", "application/json", "x-request-id", nextId("req_"));
        if (reply.retryAfterSeconds != null) {
          h.add("retry-after", String.valueOf(reply.retryAfterSeconds));
        }
        send(http, reply, reply.status, h, List.of(errorJson(reply.status, reply.errorType, reply.errorMessage)
            .toBuffer()), false);
      }
      case MESSAGE -> {
        JsonObject streamOptions = rec.json() == null ? null : rec.json().getJsonObject("stream_options");
        boolean usage = streamOptions != null && streamOptions.getBoolean("include_usage", false);
        if (stream) {
          send(http, reply, 200, headers("content-type", "text/event-stream; charset=utf-8",
              "cache-control", "no-cache", "x-request-id", nextId("req_")), chunks(rec, reply, model, usage), true);
        } else {
          Reply.StreamError err = (Reply.StreamError) reply.blocks().stream()
              .filter(b -> b instanceof Reply.StreamError).findFirst().orElse(null);
          if (err != null) {
            send(http, reply, 500, headers("content-type", "application/json"),
                List.of(errorJson(500, err.type(), err.message()).toBuffer()), false);
          } else {
            send(http, reply, 200, headers("content-type", "application/json", "x-request-id", nextId("req_")),
                List.of(completion(rec, reply, model).toBuffer()), false);
          }
        }
      }
    }
  }

  /** OpenAI's error body: {@code {"error":{"message","type","param","code"}}}. */
  static JsonObject errorJson(int status, String type, String message) {
    String t = type;
    String code = null;
    if (t == null) {
      switch (status) {
        case 401 -> { t = "invalid_request_error"; code = "invalid_api_key"; }
        case 404 -> { t = "invalid_request_error"; code = "model_not_found"; }
        case 429 -> { t = "requests"; code = "rate_limit_exceeded"; }
        default -> t = status >= 500 ? "server_error" : "invalid_request_error";
      }
    }
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", t)
        .putNull("param").put("code", code));
  }

  private JsonObject completion(RecordedRequest rec, Reply reply, String model) {
    StringBuilder text = new StringBuilder();
    JsonArray toolCalls = new JsonArray();
    for (Reply.Block b : reply.blocks()) {
      if (b instanceof Reply.Text t) {
        text.append(t.text());
      } else if (b instanceof Reply.ToolCall c) {
        toolCalls.add(functionCall(c.id(), c.name(), c.arguments().encode()));
      }
    }
    JsonObject message = new JsonObject().put("role", "assistant")
        .put("content", text.length() == 0 && !toolCalls.isEmpty() ? null : text.toString());
    if (!toolCalls.isEmpty()) {
      message.put("tool_calls", toolCalls);
    }
    message.putNull("refusal").put("annotations", new JsonArray());
    JsonObject choice = new JsonObject().put("index", 0).put("message", message).putNull("logprobs")
        .put("finish_reason", toolCalls.isEmpty() ? "stop" : "tool_calls");
    return new JsonObject().put("id", nextId("chatcmpl-")).put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000).put("model", model)
        .put("choices", new JsonArray().add(choice)).put("usage", usage(rec, reply))
        .put("service_tier", "default").put("system_fingerprint", "fp_turnpike");
  }

  private static JsonObject usage(RecordedRequest rec, Reply reply) {
    int in = reply.estimatedInputTokens(rec);
    int out = reply.estimatedOutputTokens();
    return new JsonObject().put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0).put("audio_tokens", 0))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 0).put("audio_tokens", 0)
            .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0));
  }

  private List<Buffer> chunks(RecordedRequest rec, Reply reply, String model, boolean includeUsage) {
    String id = nextId("chatcmpl-");
    long created = System.currentTimeMillis() / 1000;
    List<Buffer> out = new ArrayList<>();
    ChunkWriter w = new ChunkWriter(id, created, model, includeUsage, out);
    boolean roleSent = false;
    int toolIndex = 0;
    for (Reply.Block b : reply.blocks()) {
      if (b instanceof Reply.StreamError e) {
        // A failure after the stream started arrives as an error object in a data frame; no [DONE] follows.
        out.add(dataFrame(errorJson(500, e.type(), e.message())));
        return out;
      }
      if (b instanceof Reply.Text t) {
        if (!roleSent) {
          w.delta(new JsonObject().put("role", "assistant").put("content", "").putNull("refusal"), null);
          roleSent = true;
        }
        for (String piece : fragments(t.text(), 5)) {
          w.delta(new JsonObject().put("content", piece), null);
        }
      } else if (b instanceof Reply.ToolCall c) {
        JsonObject first = new JsonObject().put("index", toolIndex).mergeIn(functionCall(c.id(), c.name(), ""));
        JsonObject delta = new JsonObject();
        if (!roleSent) {
          delta.put("role", "assistant").putNull("content");
          roleSent = true;
        }
        delta.put("tool_calls", new JsonArray().add(first));
        if (delta.containsKey("role")) {
          delta.putNull("refusal");
        }
        w.delta(delta, null);
        for (String piece : fragments(c.arguments().encode(), 7)) {
          w.delta(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", toolIndex)
              .put("function", new JsonObject().put("arguments", piece)))), null);
        }
        toolIndex++;
      }
      // Thinking blocks have no Chat Completions equivalent: dropped.
    }
    if (!roleSent) {
      w.delta(new JsonObject().put("role", "assistant").put("content", "").putNull("refusal"), null);
    }
    w.delta(new JsonObject(), toolIndex > 0 ? "tool_calls" : "stop");
    if (includeUsage) {
      out.add(dataFrame(w.base().put("choices", new JsonArray()).put("usage", usage(rec, reply))));
    }
    out.add(doneFrame());
    return out;
  }

  /** Builds {@code chat.completion.chunk} frames that share one id and timestamp, as the API does. */
  private record ChunkWriter(String id, long created, String model, boolean includeUsage, List<Buffer> out) {
    JsonObject base() {
      return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
          .put("model", model).put("service_tier", "default").put("system_fingerprint", "fp_turnpike");
    }

    void delta(JsonObject delta, String finishReason) {
      JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).putNull("logprobs")
          .put("finish_reason", finishReason);
      JsonObject chunk = base().put("choices", new JsonArray().add(choice));
      if (includeUsage) {
        chunk.putNull("usage");
      }
      out.add(dataFrame(chunk));
    }
  }

  // ---- dialect hooks ---------------------------------------------------------------------------------------

  @Override
  protected String toolCallIdPrefix() {
    return "call_";
  }

  @Override
  protected String presentedKey(RecordedRequest rec) {
    String auth = rec.header("authorization");
    return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7) : null;
  }
}
