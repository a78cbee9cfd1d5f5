package dev.turnpike.app.fakes;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fake Cohere API on 127.0.0.1: {@code POST /v2/chat}, streaming and not, in Cohere's v2 wire format (see
 * provider-verticles' {@code fixtures/cohere/SOURCES.md}). It is strict where Cohere is: a bearer key is required,
 * and a body that breaks {@link CohereChatRules} is refused with 400 and Cohere's {@code {"id", "message"}} error.
 *
 * <p>Streams are SSE frames {@code event: <type>\ndata: <json>\n\n}: {@code message-start} (with the id),
 * then per reply block either {@code content-start}, {@code content-delta}s and {@code content-end} (text, or
 * thinking), {@code tool-plan-delta}s (the text of a reply that calls tools, as Cohere puts it before its calls),
 * or {@code tool-call-start} (id and name, empty arguments), {@code tool-call-delta}s and {@code tool-call-end};
 * then {@code message-end} with {@code finish_reason} and usage ({@code billed_units}, {@code tokens}), and the
 * declared {@code data: [DONE]} terminator. A {@link Reply.StreamError} becomes a {@code message-end} with
 * {@code finish_reason: ERROR} and its {@code error}, after which nothing more is sent.
 */
public final class FakeCohereUpstream extends ChatMessagesFake<FakeCohereUpstream> {
  public static final String CHAT_PATH = "/v2/chat";

  public FakeCohereUpstream(Vertx vertx) {
    super(vertx);
  }

  @Override
  protected void route(RecordedRequest rec, HttpServerRequest http) {
    if (!rec.method().equals("POST") || !rec.path().equals(CHAT_PATH)) {
      error(http, Reply.text(""), 404, "Not Found: " + rec.method() + " " + rec.path());
      return;
    }
    if (presentedKey(rec) == null) {
      error(http, Reply.text(""), 401, "no api key supplied");
      return;
    }
    String contentType = rec.header("content-type");
    JsonObject body = rec.json();
    if (contentType == null || !contentType.startsWith("application/json") || body == null) {
      error(http, Reply.text(""), 400, "invalid request: the body must be a JSON object (content-type "
          + contentType + ")");
      return;
    }
    String problem = CohereChatRules.problemWith(body);
    if (problem != null) {
      error(http, Reply.text(""), 400, "invalid request: " + problem);
      return;
    }
    respond(http, rec, runScript(body), body.getBoolean("stream", false), body.getString("model"));
  }

  @Override
  protected void respond(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream, String model) {
    switch (reply.kind) {
      case RAW -> send(http, reply, reply.status, headers("content-type", reply.contentType),
          List.of(reply.rawBody), false);
      // Cohere says "invalid api token" for a key it does not know.
      case ERROR -> error(http, reply, reply.status, reply.status == 401 ? "invalid api token" : reply.errorMessage);
      case MESSAGE -> {
        if (stream) {
          send(http, reply, 200, headers("content-type", "text/event-stream", "cache-control", "no-cache",
              "x-trace-id", nextId("")), events(rec, reply), true);
        } else {
          Reply.StreamError err = (Reply.StreamError) reply.blocks().stream()
              .filter(b -> b instanceof Reply.StreamError).findFirst().orElse(null);
          if (err != null) {
            error(http, reply, 500, err.message());
          } else {
            send(http, reply, 200, headers("content-type", "application/json", "x-trace-id", nextId("")),
                List.of(whole(rec, reply).toBuffer()), false);
          }
        }
      }
    }
  }

  private void error(HttpServerRequest http, Reply reply, int status, String message) {
    MultiMap h = headers("content-type", "application/json", "x-trace-id", nextId(""));
    if (reply.retryAfterSeconds != null) {
      h.add("retry-after", String.valueOf(reply.retryAfterSeconds));
    }
    send(http, reply, status, h, List.of(new JsonObject().put("id", UUID.randomUUID().toString())
        .put("message", message).toBuffer()), false);
  }

  private JsonObject whole(RecordedRequest rec, Reply reply) {
    StringBuilder text = new StringBuilder();
    JsonArray content = new JsonArray();
    JsonArray toolCalls = new JsonArray();
    for (Reply.Block b : reply.blocks()) {
      if (b instanceof Reply.Text t) {
        text.append(t.text());
      } else if (b instanceof Reply.Thinking th) {
        content.add(new JsonObject().put("type", "thinking").put("thinking", th.thinking()));
      } else if (b instanceof Reply.ToolCall c) {
        toolCalls.add(functionCall(c.id(), c.name(), c.arguments().encode()));
      }
    }
    JsonObject message = new JsonObject().put("role", "assistant");
    if (!toolCalls.isEmpty()) {
      if (text.length() > 0) {
        message.put("tool_plan", text.toString());
      }
      message.put("tool_calls", toolCalls);
    } else {
      content.add(new JsonObject().put("type", "text").put("text", text.toString()));
    }
    if (!content.isEmpty()) {
      message.put("content", content);
    }
    return new JsonObject().put("id", UUID.randomUUID().toString()).put("message", message)
        .put("finish_reason", toolCalls.isEmpty() ? "COMPLETE" : "TOOL_CALL").put("usage", usage(rec, reply));
  }

  private List<Buffer> events(RecordedRequest rec, Reply reply) {
    List<Buffer> out = new ArrayList<>();
    out.add(frame(new JsonObject().put("id", UUID.randomUUID().toString()).put("type", "message-start")
        .put("delta", new JsonObject().put("message", new JsonObject().put("role", "assistant")
            .put("content", new JsonArray()).put("tool_plan", "").put("tool_calls", new JsonArray())
            .put("citations", new JsonArray())))));
    boolean callsTools = reply.hasToolCall();
    int contentIndex = 0;
    int toolIndex = 0;
    for (Reply.Block b : reply.blocks()) {
      if (b instanceof Reply.StreamError e) {
        out.add(frame(new JsonObject().put("type", "message-end").put("delta", new JsonObject()
            .put("error", e.message()).put("finish_reason", "ERROR").put("usage", usage(rec, reply)))));
        return out;
      }
      if (b instanceof Reply.Text t && callsTools) {
        for (String piece : fragments(t.text(), 5)) {
          out.add(frame(delta("tool-plan-delta", null, new JsonObject().put("tool_plan", piece))));
        }
      } else if (b instanceof Reply.Text t) {
        content(out, contentIndex++, "text", t.text());
      } else if (b instanceof Reply.Thinking th) {
        content(out, contentIndex++, "thinking", th.thinking());
      } else if (b instanceof Reply.ToolCall c) {
        out.add(frame(delta("tool-call-start", toolIndex, new JsonObject().put("tool_calls",
            functionCall(c.id(), c.name(), "")))));
        for (String piece : fragments(c.arguments().encode(), 7)) {
          out.add(frame(delta("tool-call-delta", toolIndex, new JsonObject().put("tool_calls",
              new JsonObject().put("function", new JsonObject().put("arguments", piece))))));
        }
        out.add(frame(new JsonObject().put("type", "tool-call-end").put("index", toolIndex++)));
      }
    }
    out.add(frame(new JsonObject().put("type", "message-end").put("delta", new JsonObject()
        .put("finish_reason", callsTools ? "TOOL_CALL" : "COMPLETE").put("usage", usage(rec, reply)))));
    out.add(doneFrame());
    return out;
  }

  private static void content(List<Buffer> out, int index, String type, String text) {
    out.add(frame(delta("content-start", index, new JsonObject().put("content",
        new JsonObject().put("type", type).put(type, "")))));
    for (String piece : fragments(text, 5)) {
      out.add(frame(delta("content-delta", index, new JsonObject().put("content", new JsonObject().put(type, piece)))));
    }
    out.add(frame(new JsonObject().put("type", "content-end").put("index", index)));
  }

  private static JsonObject delta(String type, Integer index, JsonObject message) {
    JsonObject event = new JsonObject().put("type", type);
    if (index != null) {
      event.put("index", index);
    }
    return event.put("delta", new JsonObject().put("message", message));
  }

  /** Cohere bills fewer input tokens than the model reads (its prompt template is free): both are reported. */
  private static JsonObject usage(RecordedRequest rec, Reply reply) {
    int in = reply.estimatedInputTokens(rec);
    int out = reply.estimatedOutputTokens();
    return new JsonObject()
        .put("billed_units", new JsonObject().put("input_tokens", Math.max(1, in / 10)).put("output_tokens", out))
        .put("tokens", new JsonObject().put("input_tokens", in).put("output_tokens", out));
  }

  private static Buffer frame(JsonObject event) {
    return Buffer.buffer("event: " + event.getString("type") + "\ndata: " + event.encode() + "\n\n");
  }

  // ---- dialect hooks ---------------------------------------------------------------------------------------

  /** Cohere names a call after its tool: {@code query_daily_sales_report_j3f0adww9pmr}. */
  @Override
  protected String toolCallIdPrefix() {
    return "Bash_";
  }

  @Override
  protected String presentedKey(RecordedRequest rec) {
    String auth = rec.header("authorization");
    return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && auth.length() > 7
        ? auth.substring(7) : null;
  }
}
