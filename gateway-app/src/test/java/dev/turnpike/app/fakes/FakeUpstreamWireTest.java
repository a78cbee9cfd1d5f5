package dev.turnpike.app.fakes;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fakes' wire formats and faults, checked over real HTTP on 127.0.0.1. */
class FakeUpstreamWireTest {

  private static final Path TARGET = Path.of("/tmp/turnpike-wire-test/out.txt");
  private static Vertx vertx;
  private static HttpClient client;
  private FakeAnthropicUpstream anthropic;
  private FakeOpenAiUpstream openai;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void start() throws Exception {
    anthropic = await(new FakeAnthropicUpstream(vertx).bashTarget(TARGET).start());
    openai = await(new FakeOpenAiUpstream(vertx).bashTarget(TARGET).start());
  }

  @AfterEach
  void stop() throws Exception {
    await(anthropic.close());
    await(openai.close());
  }

  // ---- Anthropic -------------------------------------------------------------------------------------------

  @Test
  void anthropicStreamsAToolUseThenTheFinalText() throws Exception {
    String body = anthropicRequest(true, false).encode();
    Exchange x = call(anthropic, "/v1/messages?beta=true", anthropicHeaders(), body, 5000);
    assertEquals(200, x.status);
    assertTrue(x.headers.get("content-type").startsWith("text/event-stream"));
    List<JsonObject> events = anthropicEvents(x.body());
    List<String> types = events.stream().map(e -> e.getString("type")).toList();
    assertEquals(List.of("message_start", "content_block_start", "ping"), types.subList(0, 3));
    assertEquals(List.of("content_block_stop", "message_delta", "message_stop"), types.subList(types.size() - 3,
        types.size()));
    JsonObject block = events.get(1).getJsonObject("content_block");
    assertEquals("tool_use", block.getString("type"));
    assertEquals("Bash", block.getString("name"));
    assertEquals(anthropic.issuedToolCallIds().get(0), block.getString("id"));
    StringBuilder json = new StringBuilder();
    int fragments = 0;
    for (JsonObject e : events) {
      if (e.getString("type").equals("content_block_delta")) {
        assertEquals("input_json_delta", e.getJsonObject("delta").getString("type"));
        json.append(e.getJsonObject("delta").getString("partial_json"));
        fragments++;
      }
    }
    assertTrue(fragments > 3, "tool input should arrive in several fragments");
    assertEquals("echo turnpike > '" + TARGET + "'", new JsonObject(json.toString()).getString("command"));
    assertEquals("tool_use", events.get(events.size() - 2).getJsonObject("delta").getString("stop_reason"));
    assertEquals("claude-test", events.get(0).getJsonObject("message").getString("model"));

    // The recording keeps the bytes exactly as sent.
    RecordedRequest rec = anthropic.requests().get(0);
    assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), rec.body().getBytes());
    assertEquals("beta=true", rec.query());
    assertEquals("sk-ant-test", rec.header("X-Api-Key"));

    // Second turn: the tool result is back, so the answer is the final text with the marker.
    String id = anthropic.issuedToolCallIds().get(0);
    JsonObject second = anthropicRequest(true, false);
    second.getJsonArray("messages")
        .add(new JsonObject().put("role", "assistant").put("content", new JsonArray().add(block.copy()
            .put("input", new JsonObject(json.toString())))))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject()
            .put("type", "tool_result").put("tool_use_id", id).put("content", "ok"))))
        .add(new JsonObject().put("role", "system").put("content", "a mid-conversation system message"));
    x = call(anthropic, "/v1/messages", anthropicHeaders(), second.encode(), 5000);
    StringBuilder text = new StringBuilder();
    for (JsonObject e : anthropicEvents(x.body())) {
      if (e.getString("type").equals("content_block_delta")) {
        text.append(e.getJsonObject("delta").getString("text"));
      }
    }
    assertTrue(text.toString().startsWith(FakeUpstream.DEFAULT_MARKER), text.toString());
    assertTrue(anthropic.receivedToolResultFor(id));
  }

  @Test
  void anthropicAnswersWithoutStreamingAndCountsTokens() throws Exception {
    Exchange x = call(anthropic, "/v1/messages", anthropicHeaders(), anthropicRequest(false, false).encode(), 5000);
    JsonObject msg = new JsonObject(x.body());
    assertEquals("message", msg.getString("type"));
    assertEquals("tool_use", msg.getString("stop_reason"));
    assertEquals("Bash", msg.getJsonArray("content").getJsonObject(0).getString("name"));
    assertTrue(msg.getJsonObject("usage").getInteger("input_tokens") > 0);

    x = call(anthropic, "/v1/messages/count_tokens", anthropicHeaders(), anthropicRequest(false, false).encode(),
        5000);
    assertEquals(200, x.status);
    assertTrue(new JsonObject(x.body()).getInteger("input_tokens") > 0);
  }

  @Test
  void anthropicErrorsUseItsErrorJson() throws Exception {
    anthropic.script(req -> Reply.rateLimited(3));
    Exchange x = call(anthropic, "/v1/messages", anthropicHeaders(), anthropicRequest(true, false).encode(), 5000);
    assertEquals(429, x.status);
    assertEquals("3", x.headers.get("retry-after"));
    JsonObject err = new JsonObject(x.body());
    assertEquals("error", err.getString("type"));
    assertEquals("rate_limit_error", err.getJsonObject("error").getString("type"));

    MultiMap noVersion = anthropicHeaders();
    noVersion.remove("anthropic-version");
    x = call(anthropic, "/v1/messages", noVersion, anthropicRequest(true, false).encode(), 5000);
    assertEquals(400, x.status);
    assertEquals("invalid_request_error", new JsonObject(x.body()).getJsonObject("error").getString("type"));

    anthropic.requireKey("sk-right");
    x = call(anthropic, "/v1/messages", anthropicHeaders(), anthropicRequest(true, false).encode(), 5000);
    assertEquals(401, x.status);
    assertEquals("authentication_error", new JsonObject(x.body()).getJsonObject("error").getString("type"));

    anthropic.requireKey(null).script(req -> Reply.message(new Reply.Text("partial"),
        new Reply.StreamError("overloaded_error", "Overloaded")));
    x = call(anthropic, "/v1/messages", anthropicHeaders(), anthropicRequest(true, false).encode(), 5000);
    List<JsonObject> events = anthropicEvents(x.body());
    JsonObject last = events.get(events.size() - 1);
    assertEquals("error", last.getString("type"));
    assertEquals("overloaded_error", last.getJsonObject("error").getString("type"));
  }

  // ---- OpenAI ----------------------------------------------------------------------------------------------

  @Test
  void openAiStreamsAToolCallInFragmentsWithAFinalUsageChunk() throws Exception {
    JsonObject req = openAiRequest(true).put("stream_options", new JsonObject().put("include_usage", true));
    Exchange x = call(openai, "/v1/chat/completions", openAiHeaders(), req.encode(), 5000);
    assertEquals(200, x.status);
    List<String> data = openAiData(x.body());
    assertEquals("[DONE]", data.get(data.size() - 1));
    List<JsonObject> chunks = data.subList(0, data.size() - 1).stream().map(JsonObject::new).toList();
    JsonObject usageChunk = chunks.get(chunks.size() - 1);
    assertTrue(usageChunk.getJsonArray("choices").isEmpty());
    assertTrue(usageChunk.getJsonObject("usage").getInteger("total_tokens") > 0);
    String id = chunks.get(0).getString("id");
    StringBuilder args = new StringBuilder();
    String finish = null;
    int fragments = 0;
    for (JsonObject c : chunks.subList(0, chunks.size() - 1)) {
      assertEquals("chat.completion.chunk", c.getString("object"));
      assertEquals(id, c.getString("id"));
      assertTrue(c.containsKey("usage") && c.getValue("usage") == null, "usage:null on every other chunk");
      JsonObject choice = c.getJsonArray("choices").getJsonObject(0);
      JsonArray calls = choice.getJsonObject("delta").getJsonArray("tool_calls");
      if (calls != null) {
        JsonObject call = calls.getJsonObject(0);
        assertEquals(0, call.getInteger("index"));
        if (call.containsKey("id")) {
          assertEquals(openai.issuedToolCallIds().get(0), call.getString("id"));
          assertEquals("Bash", call.getJsonObject("function").getString("name"));
        } else {
          fragments++;
        }
        args.append(call.getJsonObject("function").getString("arguments"));
      }
      if (choice.getString("finish_reason") != null) {
        finish = choice.getString("finish_reason");
      }
    }
    assertEquals("tool_calls", finish);
    assertTrue(fragments > 3, "arguments should arrive in several fragments");
    assertEquals("echo turnpike > '" + TARGET + "'", new JsonObject(args.toString()).getString("command"));

    // Second turn with the tool result: final text; without include_usage no usage field at all.
    String callId = openai.issuedToolCallIds().get(0);
    JsonObject second = openAiRequest(true);
    second.getJsonArray("messages")
        .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", callId).put("type", "function").put("function",
                new JsonObject().put("name", "Bash").put("arguments", args.toString())))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", callId).put("content", "ok"))
        .add(new JsonObject().put("role", "user").put("content", "<system-reminder>after the tool</system-reminder>"));
    data = openAiData(call(openai, "/v1/chat/completions", openAiHeaders(), second.encode(), 5000).body());
    StringBuilder text = new StringBuilder();
    for (String d : data.subList(0, data.size() - 1)) {
      JsonObject c = new JsonObject(d);
      assertFalse(c.containsKey("usage"));
      String piece = c.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content");
      text.append(piece == null ? "" : piece);
    }
    assertTrue(text.toString().startsWith(FakeUpstream.DEFAULT_MARKER), text.toString());
    assertTrue(openai.receivedToolResultFor(callId));
  }

  @Test
  void openAiAnswersWithoutStreamingListsModelsAndReportsErrors() throws Exception {
    JsonObject c = new JsonObject(call(openai, "/v1/chat/completions", openAiHeaders(),
        openAiRequest(false).encode(), 5000).body());
    assertEquals("chat.completion", c.getString("object"));
    JsonObject choice = c.getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", choice.getString("finish_reason"));
    assertNull(choice.getJsonObject("message").getValue("content"));
    assertEquals("Bash", choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0)
        .getJsonObject("function").getString("name"));

    Exchange models = call(openai, HttpMethod.GET, "/v1/models", openAiHeaders(), null, 5000);
    assertEquals("list", new JsonObject(models.body()).getString("object"));

    openai.script(req -> Reply.error(503, "server_error", "The server is overloaded"));
    Exchange x = call(openai, "/v1/chat/completions", openAiHeaders(), openAiRequest(true).encode(), 5000);
    assertEquals(503, x.status);
    assertEquals("server_error", new JsonObject(x.body()).getJsonObject("error").getString("type"));

    openai.script(req -> Reply.rateLimited(7));
    x = call(openai, "/v1/chat/completions", openAiHeaders(), openAiRequest(true).encode(), 5000);
    assertEquals(429, x.status);
    assertEquals("7", x.headers.get("retry-after"));
    assertEquals("rate_limit_exceeded", new JsonObject(x.body()).getJsonObject("error").getString("code"));

    openai.claudeCodeScript().requireKey("sk-upstream");
    x = call(openai, "/v1/chat/completions", openAiHeaders(), openAiRequest(true).encode(), 5000);
    assertEquals(401, x.status);
    assertEquals("invalid_api_key", new JsonObject(x.body()).getJsonObject("error").getString("code"));
  }

  // ---- faults ----------------------------------------------------------------------------------------------

  @Test
  void splittingDeliversSevenBytePiecesThatCutUtf8AndStillParse() throws Exception {
    // Many multi-byte characters so that 7-byte cuts surely land inside some of them.
    String text = "caf\u00e9 \u2713 \u65e5\u672c\u8a9e \uD83D\uDE80 \u2014 ".repeat(4);
    openai.faults(Faults.none().splitEvery(7)).script(r -> Reply.text(text));
    JsonObject req = openAiRequest(true);
    Exchange x = call(openai, "/v1/chat/completions", openAiHeaders(), req.encode(), 5000);
    assertTrue(x.pieces.size() > 20);
    boolean cutInsideUtf8 = false;
    for (Buffer p : x.pieces) {
      assertTrue(p.length() <= 7, "piece of " + p.length());
      try {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(p.getBytes()));
      } catch (CharacterCodingException e) {
        cutInsideUtf8 = true;
      }
    }
    assertTrue(cutInsideUtf8, "some piece should end or start inside a multi-byte character");
    List<String> data = openAiData(x.body());
    assertEquals("[DONE]", data.get(data.size() - 1));
    StringBuilder joined = new StringBuilder();
    for (String d : data.subList(0, data.size() - 1)) {
      String piece = new JsonObject(d).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
          .getString("content");
      joined.append(piece == null ? "" : piece);
    }
    assertEquals(text, joined.toString());
  }

  @Test
  void delayFirstByteHoldsTheResponseHead() throws Exception {
    anthropic.faults(Faults.none().delayFirstByte(400));
    long t0 = System.nanoTime();
    Exchange x = call(anthropic, "/v1/messages", anthropicHeaders(), anthropicRequest(true, false).encode(), 5000);
    assertTrue(x.headNanos - t0 >= TimeUnit.MILLISECONDS.toNanos(390), "head came too early");
    assertEquals(200, x.status);
  }

  @Test
  void stallAfterEventsSendsThoseEventsThenNothing() throws Exception {
    anthropic.faults(Faults.none().stallAfterEvents(2));
    Exchange x = call(anthropic, "/v1/messages", anthropicHeaders(), anthropicRequest(true, false).encode(), 600);
    assertFalse(x.ended, "stream should not end");
    assertNull(x.error);
    List<JsonObject> events = anthropicEvents(x.body());
    assertEquals(List.of("message_start", "content_block_start"), events.stream().map(e -> e.getString("type"))
        .toList());
  }

  @Test
  void closeAfterEventsDropsTheConnectionMidStream() throws Exception {
    openai.faults(Faults.none().closeAfterEvents(3));
    Exchange x = call(openai, "/v1/chat/completions", openAiHeaders(), openAiRequest(true).encode(), 3000);
    assertFalse(x.ended);
    assertNotNull(x.error, "client should see the connection close");
    assertEquals(3, openAiData(x.body()).size());
  }

  @Test
  void closeAfterBytesTruncatesANonStreamingBody() throws Exception {
    anthropic.faults(Faults.none().closeAfterBytes(40));
    Exchange x = call(anthropic, "/v1/messages", anthropicHeaders(), anthropicRequest(false, false).encode(), 3000);
    assertFalse(x.ended);
    assertEquals(40, x.body().getBytes(StandardCharsets.UTF_8).length);
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private static JsonObject anthropicRequest(boolean stream, boolean withToolResult) {
    JsonObject bash = new JsonObject().put("name", "Bash").put("description", "Run a command")
        .put("input_schema", new JsonObject().put("type", "object").put("properties",
            new JsonObject().put("command", new JsonObject().put("type", "string"))));
    return new JsonObject().put("model", "claude-test").put("max_tokens", 1000).put("stream", stream)
        .put("tools", new JsonArray().add(new JsonObject().put("name", "Read")).add(bash))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "make a file é")));
  }

  private static MultiMap anthropicHeaders() {
    return HttpHeaders.headers().add("content-type", "application/json").add("anthropic-version", "2023-06-01")
        .add("x-api-key", "sk-ant-test");
  }

  private static JsonObject openAiRequest(boolean stream) {
    JsonObject bash = new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "Bash")
        .put("parameters", new JsonObject().put("type", "object")));
    return new JsonObject().put("model", "gpt-test").put("stream", stream)
        .put("tools", new JsonArray().add(bash))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "system").put("content", "be brief"))
            .add(new JsonObject().put("role", "user").put("content", "make a file")));
  }

  private static MultiMap openAiHeaders() {
    return HttpHeaders.headers().add("content-type", "application/json").add("authorization", "Bearer sk-test");
  }

  /** Parses Anthropic SSE, checking every event has an {@code event:} line naming its data's type. */
  static List<JsonObject> anthropicEvents(String sse) {
    List<JsonObject> out = new ArrayList<>();
    for (String frame : sse.split("\n\n")) {
      if (frame.isBlank()) {
        continue;
      }
      String[] lines = frame.split("\n");
      assertEquals(2, lines.length, frame);
      assertTrue(lines[0].startsWith("event: "), frame);
      assertTrue(lines[1].startsWith("data: "), frame);
      JsonObject data = new JsonObject(lines[1].substring(6));
      assertEquals(lines[0].substring(7), data.getString("type"));
      out.add(data);
    }
    return out;
  }

  /** Parses OpenAI SSE: {@code data: ...} frames only. */
  static List<String> openAiData(String sse) {
    List<String> out = new ArrayList<>();
    for (String frame : sse.split("\n\n")) {
      if (frame.isBlank()) {
        continue;
      }
      assertTrue(frame.startsWith("data: ") && !frame.contains("\n"), frame);
      out.add(frame.substring(6));
    }
    return out;
  }

  static final class Exchange {
    int status;
    MultiMap headers;
    long headNanos;
    final List<Buffer> pieces = new CopyOnWriteArrayList<>();
    volatile boolean ended;
    volatile Throwable error;

    String body() {
      Buffer all = Buffer.buffer();
      pieces.forEach(all::appendBuffer);
      return all.toString(StandardCharsets.UTF_8);
    }
  }

  private static Exchange call(FakeUpstream<?> fake, String uri, MultiMap headers, String body, long waitMs)
      throws Exception {
    return call(fake, HttpMethod.POST, uri, headers, body, waitMs);
  }

  /** Sends one request and collects the response pieces until it ends, fails or {@code waitMs} pass. */
  private static Exchange call(FakeUpstream<?> fake, HttpMethod method, String uri, MultiMap headers, String body,
                               long waitMs) throws Exception {
    Exchange x = new Exchange();
    Promise<Void> done = Promise.promise();
    RequestOptions opts = new RequestOptions().setHost("127.0.0.1").setPort(fake.port()).setMethod(method)
        .setURI(uri).setHeaders(headers);
    vertx.runOnContext(v -> client.request(opts)
        .compose(req -> body == null ? req.send() : req.send(body))
        .onSuccess(resp -> {
          x.headNanos = System.nanoTime();
          x.status = resp.statusCode();
          x.headers = resp.headers();
          resp.handler(x.pieces::add);
          resp.exceptionHandler(e -> {
            x.error = e;
            done.tryComplete();
          });
          resp.endHandler(e -> {
            x.ended = true;
            done.tryComplete();
          });
        })
        .onFailure(e -> {
          x.error = e;
          done.tryComplete();
        }));
    try {
      done.future().toCompletionStage().toCompletableFuture().get(waitMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException stillOpen) {
      // expected for stalls: return what arrived so far
    }
    return x;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
