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
 * What the fakes of the Anthropic family (Anthropic itself, Bedrock, Vertex) share: the Messages API's message
 * and SSE rendering and the Claude Code script's view of an Anthropic request. Each subclass speaks its own
 * transport (paths, auth, framing, errors).
 *
 * <p>The SSE follows what the real API sends and Claude Code 2.1.332 accepted
 * ({@code fixtures/claude-code/cc2.1.332-sse_thinking_text_tool.txt}): every event has its
 * {@code event:} line (Claude Code drops data-only frames), message_start carries input usage, each content
 * block is start / deltas / stop, tool input arrives as several {@code input_json_delta} fragments starting
 * with an empty one, and message_delta carries stop_reason and output usage before message_stop.
 */
public abstract class AnthropicFamilyFake<SELF extends AnthropicFamilyFake<SELF>> extends FakeUpstream<SELF> {
  protected AnthropicFamilyFake(Vertx vertx) {
    super(vertx);
  }

  /** The Messages API's own answer: an error JSON, an SSE stream or a message. */
  protected void anthropicAnswer(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream, String model) {
    switch (reply.kind) {
      case RAW -> send(http, reply, reply.status, headers("content-type", reply.contentType),
          List.of(reply.rawBody), false);
      case ERROR -> {
        String type = reply.errorType != null ? reply.errorType : defaultErrorType(reply.status);
        var h = headers("content-type", "application/json", "request-id", nextId("req_"));
        if (reply.retryAfterSeconds != null) {
          h.add("retry-after", String.valueOf(reply.retryAfterSeconds));
        }
        send(http, reply, reply.status, h, List.of(errorJson(type, reply.errorMessage).toBuffer()), false);
      }
      case MESSAGE -> {
        if (stream) {
          send(http, reply, 200, headers("content-type", "text/event-stream; charset=utf-8",
              "cache-control", "no-cache", "request-id", nextId("req_")), sse(rec, reply, model), true);
        } else {
          StreamError err = firstStreamError(reply);
          if (err != null) {
            send(http, reply, 500, headers("content-type", "application/json"),
                List.of(errorJson(err.type(), err.message()).toBuffer()), false);
          } else {
            sendJson(http, reply, 200, message(rec, reply, model));
          }
        }
      }
    }
  }
  protected void sendJson(HttpServerRequest http, Reply reply, int status, JsonObject json) {
    send(http, reply, status, headers("content-type", "application/json", "request-id", nextId("req_")),
        List.of(json.toBuffer()), false);
  }

  protected static String defaultErrorType(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> "api_error";
    };
  }

  static JsonObject errorJson(String type, String message) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message));
  }

  protected static StreamError firstStreamError(Reply reply) {
    return (StreamError) reply.blocks().stream().filter(b -> b instanceof StreamError).findFirst().orElse(null);
  }

  protected JsonObject message(RecordedRequest rec, Reply reply, String model) {
    JsonArray content = new JsonArray();
    for (Reply.Block b : reply.blocks()) {
      if (b instanceof Reply.Text t) {
        content.add(new JsonObject().put("type", "text").put("text", t.text()));
      } else if (b instanceof Reply.ToolCall c) {
        content.add(new JsonObject().put("type", "tool_use").put("id", c.id()).put("name", c.name())
            .put("input", c.arguments()));
      } else if (b instanceof Reply.Thinking th) {
        content.add(new JsonObject().put("type", "thinking").put("thinking", th.thinking())
            .put("signature", th.signature()));
      }
    }
    return new JsonObject().put("id", nextId("msg_")).put("type", "message").put("role", "assistant")
        .put("model", model).put("content", content)
        .put("stop_reason", reply.hasToolCall() ? "tool_use" : "end_turn").putNull("stop_sequence")
        .put("usage", usage(reply.estimatedInputTokens(rec), reply.estimatedOutputTokens()));
  }

  private static JsonObject usage(int input, int output) {
    return new JsonObject().put("input_tokens", input).put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", 0).put("output_tokens", output);
  }

  protected List<Buffer> sse(RecordedRequest rec, Reply reply, String model) {
    List<Buffer> out = new ArrayList<>();
    JsonObject start = new JsonObject().put("id", nextId("msg_")).put("type", "message").put("role", "assistant")
        .put("model", model).put("content", new JsonArray()).putNull("stop_reason").putNull("stop_sequence")
        .put("usage", usage(reply.estimatedInputTokens(rec), 1));
    out.add(event("message_start", new JsonObject().put("type", "message_start").put("message", start)));
    int index = 0;
    for (Reply.Block b : reply.blocks()) {
      if (b instanceof StreamError e) {
        // The API reports errors inside a started stream as an error event, then stops.
        out.add(event("error", errorJson(e.type(), e.message())));
        return out;
      }
      JsonObject block;
      List<JsonObject> deltas = new ArrayList<>();
      if (b instanceof Reply.Text t) {
        block = new JsonObject().put("type", "text").put("text", "");
        for (String piece : fragments(t.text(), 6)) {
          deltas.add(new JsonObject().put("type", "text_delta").put("text", piece));
        }
      } else if (b instanceof Reply.ToolCall c) {
        block = new JsonObject().put("type", "tool_use").put("id", c.id()).put("name", c.name())
            .put("input", new JsonObject());
        deltas.add(new JsonObject().put("type", "input_json_delta").put("partial_json", ""));
        for (String piece : fragments(c.arguments().encode(), 12)) {
          deltas.add(new JsonObject().put("type", "input_json_delta").put("partial_json", piece));
        }
      } else {
        Reply.Thinking th = (Reply.Thinking) b;
        block = new JsonObject().put("type", "thinking").put("thinking", "").put("signature", "");
        for (String piece : fragments(th.thinking(), 16)) {
          deltas.add(new JsonObject().put("type", "thinking_delta").put("thinking", piece));
        }
        deltas.add(new JsonObject().put("type", "signature_delta").put("signature", th.signature()));
      }
      out.add(event("content_block_start", new JsonObject().put("type", "content_block_start")
          .put("index", index).put("content_block", block)));
      if (index == 0) {
        out.add(event("ping", new JsonObject().put("type", "ping")));
      }
      for (JsonObject d : deltas) {
        out.add(event("content_block_delta", new JsonObject().put("type", "content_block_delta")
            .put("index", index).put("delta", d)));
      }
      out.add(event("content_block_stop", new JsonObject().put("type", "content_block_stop").put("index", index)));
      index++;
    }
    out.add(event("message_delta", new JsonObject().put("type", "message_delta")
        .put("delta", new JsonObject().put("stop_reason", reply.hasToolCall() ? "tool_use" : "end_turn")
            .putNull("stop_sequence"))
        .put("usage", new JsonObject().put("output_tokens", reply.estimatedOutputTokens()))));
    out.add(event("message_stop", new JsonObject().put("type", "message_stop")));
    return out;
  }

  protected static Buffer event(String name, JsonObject data) {
    return Buffer.buffer("event: " + name + "\ndata: " + data.encode() + "\n\n");
  }

  // ---- dialect hooks ---------------------------------------------------------------------------------------

  @Override
  protected String bashToolName(JsonObject request) {
    JsonArray tools = request.getJsonArray("tools");
    if (tools == null) {
      return null;
    }
    for (Object o : tools) {
      if (o instanceof JsonObject t && "bash".equalsIgnoreCase(t.getString("name"))) {
        return t.getString("name");
      }
    }
    return null;
  }

  @Override
  protected boolean toolResultAfterLastAssistant(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonObject m = messages.getJsonObject(i);
      if ("assistant".equals(m.getString("role"))) {
        return false;
      }
      if (m.getValue("content") instanceof JsonArray content) {
        for (Object o : content) {
          if (o instanceof JsonObject c && "tool_result".equals(c.getString("type"))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Override
  protected boolean containsToolResultFor(JsonObject request, String toolCallId) {
    for (Object mo : request.getJsonArray("messages", new JsonArray())) {
      if (mo instanceof JsonObject m && m.getValue("content") instanceof JsonArray content) {
        for (Object o : content) {
          if (o instanceof JsonObject c && "tool_result".equals(c.getString("type"))
              && toolCallId.equals(c.getString("tool_use_id"))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Override
  protected String toolCallIdPrefix() {
    return "toolu_";
  }

  @Override
  protected String presentedKey(RecordedRequest rec) {
    String key = rec.header("x-api-key");
    if (key != null) {
      return key;
    }
    String auth = rec.header("authorization");
    return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7) : null;
  }
}
