package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.turnpike.app.fakes.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile requests against a node in its own JVM, with the shipped heap bounds: each gets a clean
 * error in Anthropic's format (or, for broken HTTP framing, an HTTP error or a closed connection) within the
 * configured timeouts; never a 500, a stack trace or a hang; the node goes on answering others, and its resident
 * memory stays under the bound the README documents.
 */
class BadInputTest {
  /** The README's bound for a node on the shipped {@code jvm.options} (384 MB heap, 128 MB direct memory). */
  static final long RSS_BOUND_BYTES = 700L << 20;
  private static final int MAX_BODY = 1 << 20;
  private static final int READ_TIMEOUT_MS = 10_000;
  private static final String MESSAGES = "/anthropic/v1/messages";

  private static Vertx vertx;
  private static HttpServer upstream;
  private static NodeProcess node;

  /** One hostile request: its bytes, and the statuses that count as a clean answer (empty: closing is the answer). */
  record Case(String name, byte[] bytes, Set<Integer> statuses, boolean mayClose) {}

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    // A strict stand-in for Anthropic: refuses what its API refuses, with its error JSON.
    upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject json;
      try {
        json = new JsonObject(body);
      } catch (RuntimeException e) {
        json = null;
      }
      boolean valid = json != null && json.getValue("messages") instanceof JsonArray messages
          && messages.stream().allMatch(m -> m instanceof JsonObject o && o.getValue("role") instanceof String)
          && json.getValue("max_tokens") instanceof Integer;
      if (!valid) {
        req.response().setStatusCode(400).putHeader("content-type", "application/json")
            .end("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"invalid request\"}}");
        return;
      }
      req.response().putHeader("content-type", "application/json").end("{\"id\":\"msg_1\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\","
          + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}");
    })).listen(0, "127.0.0.1").await();
    JsonObject config = new JsonObject()
        .put("server", new JsonObject().put("max_body_bytes", MAX_BODY).put("header_timeout_ms", 1000)
            .put("body_timeout_ms", 1000).put("keepalive_timeout_ms", 2000))
        .put("providers", new JsonObject().put("anthropic", new JsonObject().put("dialect", "anthropic")
            .put("base_url", "http://127.0.0.1:" + upstream.actualPort())
            .put("keys", new JsonArray().add(new JsonObject().put("value", "sk-up")))));
    node = NodeProcess.start("bad-input", config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    vertx.close().await();
  }

  private static byte[] post(String path, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(RawHttp.post(path, body.length, "x-api-key: sk-client\r\nanthropic-version: 2023-06-01\r\n")
        .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static Case json(String name, String body, Integer... statuses) {
    return new Case(name, post(MESSAGES, body.getBytes(StandardCharsets.UTF_8)), Set.of(statuses), false);
  }

  private static Case bytes(String name, byte[] body, Integer... statuses) {
    return new Case(name, post(MESSAGES, body), Set.of(statuses), false);
  }

  private static Case wire(String name, String raw, boolean mayClose, Integer... statuses) {
    return new Case(name, raw.getBytes(StandardCharsets.ISO_8859_1), Set.of(statuses), mayClose);
  }

  private static String field(String name, String value) {
    return "{\"model\":\"claude-x\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\""
        + name + "\":" + value + "}";
  }

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    String valid = "{\"model\":\"claude-x\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    // JSON that is not one object
    cases.add(json("empty body", "", 400));
    cases.add(json("null", "null", 400));
    cases.add(json("array", "[]", 400));
    cases.add(json("string", "\"hello\"", 400));
    cases.add(json("number", "42", 400));
    cases.add(json("truncated", "{\"model\":\"claude-x\",\"messages\":[", 400));
    cases.add(json("trailing garbage", valid + " trailing", 400));
    cases.add(json("two objects", valid + valid, 400));
    cases.add(json("single quotes", "{'model':'claude-x'}", 400));
    cases.add(json("comment", "{/* c */\"model\":\"x\"}", 400));
    // encodings
    cases.add(bytes("invalid UTF-8 in a value", concat("{\"model\":\"claude-", new byte[] {(byte) 0xC3, 0x28},
        "\",\"max_tokens\":5,\"messages\":[]}"), 400));
    cases.add(bytes("invalid UTF-8 in a key", concat("{\"mod", new byte[] {(byte) 0xFF}, "el\":\"x\"}"), 400));
    cases.add(bytes("UTF-16 body", valid.getBytes(StandardCharsets.UTF_16), 400));
    cases.add(json("NUL escapes", field("metadata", "{\"user_id\":\"\\u0000\\u0000\"}"), 200, 400));
    cases.add(json("lone surrogate", field("system", "\"\\ud800\""), 200, 400));
    // nesting and size
    cases.add(json("deep arrays", field("tools", "[".repeat(200_000) + "]".repeat(200_000)), 400, 413));
    cases.add(json("deep objects", field("metadata", "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000)), 400, 413));
    cases.add(json("ten thousand keys", "{" + keys(10_000) + "\"model\":\"claude-x\",\"max_tokens\":1,\"messages\":[]}",
        200, 400));
    cases.add(json("body over the limit", field("system", "\"" + "x".repeat(MAX_BODY) + "\""), 413));
    // wrong types in every field Claude Code sends
    cases.add(json("duplicate model", "{\"model\":\"a\",\"model\":\"b\",\"max_tokens\":1,\"messages\":[]}", 400));
    cases.add(json("model number", "{\"model\":123,\"max_tokens\":1,\"messages\":[]}", 400));
    cases.add(json("model null", "{\"model\":null,\"max_tokens\":1,\"messages\":[]}", 400));
    cases.add(json("model empty", "{\"model\":\"\",\"max_tokens\":1,\"messages\":[]}", 400));
    cases.add(json("model object", "{\"model\":{\"id\":\"x\"},\"max_tokens\":1,\"messages\":[]}", 400));
    cases.add(json("model 100 KB", "{\"model\":\"" + "m".repeat(100_000) + "\",\"max_tokens\":1,\"messages\":[]}",
        400));
    cases.add(json("model with a header injection", "{\"model\":\"claude-x\\r\\nx-evil: 1\",\"max_tokens\":1,"
        + "\"messages\":[]}", 400));
    cases.add(json("max_tokens string", "{\"model\":\"claude-x\",\"max_tokens\":\"16\",\"messages\":[]}", 400));
    cases.add(json("max_tokens negative", "{\"model\":\"claude-x\",\"max_tokens\":-5,\"messages\":[]}", 400));
    cases.add(json("max_tokens huge float", "{\"model\":\"claude-x\",\"max_tokens\":1e309,\"messages\":[]}", 400));
    cases.add(json("max_tokens bignum", "{\"model\":\"claude-x\",\"max_tokens\":99999999999999999999999,"
        + "\"messages\":[]}", 400));
    cases.add(json("stream string", field("stream", "\"yes\""), 200, 400));
    cases.add(json("messages string", "{\"model\":\"claude-x\",\"max_tokens\":1,\"messages\":\"hi\"}", 400));
    cases.add(json("messages object", "{\"model\":\"claude-x\",\"max_tokens\":1,\"messages\":{}}", 400));
    cases.add(json("messages of numbers", "{\"model\":\"claude-x\",\"max_tokens\":1,\"messages\":[1,2]}", 400));
    cases.add(json("system number", field("system", "5"), 200, 400));
    cases.add(json("tools string", field("tools", "\"Bash\""), 200, 400));
    cases.add(json("tools of null", field("tools", "[null]"), 200, 400));
    cases.add(json("thinking string", field("thinking", "\"enabled\""), 200, 400));
    cases.add(json("thinking type number", field("thinking", "{\"type\":5}"), 200, 400));
    cases.add(json("metadata array", field("metadata", "[]"), 200, 400));
    cases.add(new Case("count_tokens not JSON", post(MESSAGES + "/count_tokens", "{oops".getBytes()), Set.of(400),
        false));
    // HTTP framing
    cases.add(wire("content-length not a number", "POST " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n"
        + "content-length: abc\r\n\r\n{}", true, 400));
    cases.add(wire("content-length negative", "POST " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n"
        + "content-length: -1\r\n\r\n{}", true, 400));
    cases.add(wire("two different content-lengths", "POST " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n"
        + "content-length: 2\r\ncontent-length: 7\r\n\r\n{}", true, 400));
    cases.add(wire("body shorter than declared", "POST " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n"
        + "content-length: 500\r\n\r\n{\"model\"", true, 408));
    cases.add(wire("chunked body over the limit", "POST " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n"
        + "transfer-encoding: chunked\r\n\r\n" + chunks(MAX_BODY + 10_000), true, 413));
    cases.add(wire("broken chunk size", "POST " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n"
        + "transfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", true, 400));
    cases.add(wire("header of 100 KB", "POST " + MESSAGES + " HTTP/1.1\r\nHost: x\r\nx-junk: " + "j".repeat(100_000)
        + "\r\ncontent-length: 2\r\n\r\n{}", true, 400, 413, 431));
    cases.add(wire("ten thousand headers", "POST " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n"
        + "x-h: v\r\n".repeat(10_000) + "content-length: 2\r\n\r\n{}", true, 400, 413, 431));
    cases.add(wire("request line of 100 KB", "GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", true,
        400, 414));
    cases.add(wire("not HTTP at all", "HELLO THERE\r\n\r\n", true, 400));
    cases.add(wire("binary garbage", new String(new byte[] {0, 1, 2, (byte) 0xFF, 13, 10, 13, 10},
        StandardCharsets.ISO_8859_1), true, 400));
    cases.add(wire("unknown method", "BREW " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n\r\n", true, 400, 404, 405, 501));
    cases.add(wire("GET on messages", "GET " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n\r\n", false, 404));
    cases.add(wire("path traversal", "GET /anthropic/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", false, 400, 404));
    cases.add(wire("expect 100-continue, no body sent", "POST " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n"
        + "expect: 100-continue\r\ncontent-length: 50\r\n\r\n", true, 100, 408));
    return cases;
  }

  @Test
  void should_answer_every_hostile_request_cleanly_and_stay_within_the_memory_bound() throws Exception {
    List<Case> cases = cases();
    assertTrue(cases.size() >= 40, "at least 40 cases: " + cases.size());
    // Slow senders hold connections open meanwhile: the node must go on answering the others.
    List<RawHttp> slowloris = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      slowloris.add(new RawHttp(node.port(), READ_TIMEOUT_MS).send("POST " + MESSAGES + " HTTP/1.1\r\nHost: x\r\n"));
    }
    List<String> problems = new ArrayList<>();
    for (Case c : cases) {
      String problem = check(c);
      if (problem != null) {
        problems.add(c.name() + ": " + problem);
      }
    }
    for (RawHttp slow : slowloris) {
      RawHttp.Answer answer = slow.readUntilClosedOrTimeout();
      if (!answer.closed()) {
        problems.add("slow headers: connection still open after " + READ_TIMEOUT_MS + " ms");
      }
      slow.close();
    }
    assertEquals(List.of(), problems);
    floodWithLargeBodies();
    assertGoodRequestWorks();
    long peak = node.peakRssBytes();
    System.out.println("[bad-input] " + cases.size() + " cases, peak RSS " + (peak >> 20) + " MB");
    assertTrue(peak < RSS_BOUND_BYTES, "peak RSS " + (peak >> 20) + " MB over the documented " + (RSS_BOUND_BYTES >> 20)
        + " MB");
    assertFalse(node.log().contains("\tat "), "no stack trace in the node's log:\n" + node.logTail());
    node.assertAlive();
  }

  @Test
  void should_close_an_idle_keep_alive_connection_after_its_timeout() throws Exception {
    try (RawHttp client = new RawHttp(node.port(), READ_TIMEOUT_MS)) {
      client.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(200, client.readOneResponse().status());
      long started = System.nanoTime();

      RawHttp.Answer rest = client.readUntilClosedOrTimeout();

      assertTrue(rest.closed(), "idle keep-alive connection never closed");
      long waitedMs = (System.nanoTime() - started) / 1_000_000;
      assertTrue(waitedMs >= 1500, "closed after the keep-alive timeout, not at once: " + waitedMs + " ms");
    }
  }

  private static String check(Case c) throws Exception {
    try (RawHttp client = new RawHttp(node.port(), READ_TIMEOUT_MS)) {
      try {
        client.send(c.bytes());
      } catch (java.io.IOException e) {
        return c.mayClose() ? null : "could not even send: " + e;
      }
      RawHttp.Answer answer;
      try {
        answer = client.readOneResponse();
      } catch (java.net.SocketTimeoutException e) {
        return "no answer within " + READ_TIMEOUT_MS + " ms (a hang)";
      } catch (java.io.IOException e) {
        return c.mayClose() ? null : "connection broken without an answer: " + e;
      }
      if (answer.status() < 0) {
        return c.mayClose() ? null : "closed without an answer";
      }
      if (!c.statuses().contains(answer.status())) {
        return "status " + answer.status() + ", expected one of " + c.statuses() + ": " + abbreviate(answer.text());
      }
      String body = answer.body();
      if (answer.status() >= 400 && !body.isEmpty()) {
        try {
          JsonObject error = new JsonObject(body);
          if (!"error".equals(error.getString("type")) || error.getJsonObject("error") == null) {
            return "not an Anthropic error: " + abbreviate(body);
          }
        } catch (RuntimeException e) {
          if (answer.text().toLowerCase().contains("content-type: application/json")) {
            return "JSON error body does not parse: " + abbreviate(body);
          }
        }
      }
      if (body.contains("Exception") || body.contains("\tat ")) {
        return "stack trace in the answer: " + abbreviate(body);
      }
      return null;
    }
  }

  private static void assertGoodRequestWorks() throws Exception {
    String valid = "{\"model\":\"claude-x\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    try (RawHttp client = new RawHttp(node.port(), READ_TIMEOUT_MS)) {
      RawHttp.Answer answer = client.send(post(MESSAGES, valid.getBytes(StandardCharsets.UTF_8))).readOneResponse();
      if (answer.status() != 200) {
        fail("a good request after the hostile ones: " + answer.text());
      }
    }
  }

  /**
   * 120 clients at once, each sending a body of the maximum size and never reading the answer: the body budget
   * and the in-flight cap, not the heap, decide what the node holds.
   */
  private static void floodWithLargeBodies() throws Exception {
    byte[] body = post(MESSAGES, ("{\"model\":\"claude-x\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + "f".repeat(MAX_BODY - 200) + "\"}]}").getBytes(StandardCharsets.UTF_8));
    List<Thread> senders = new ArrayList<>();
    List<RawHttp> clients = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 120; i++) {
      Thread sender = new Thread(() -> {
        try {
          RawHttp client = new RawHttp(node.port(), READ_TIMEOUT_MS);
          clients.add(client);
          client.send(body);
        } catch (java.io.IOException e) {
          // refused or closed by the node: that is one of its answers
        }
      });
      sender.start();
      senders.add(sender);
    }
    for (Thread sender : senders) {
      sender.join(30_000);
    }
    node.assertAlive();
    for (RawHttp client : clients) {
      client.close();
    }
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static String keys(int count) {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < count; i++) {
      keys.append("\"k").append(i).append("\":1,");
    }
    return keys.toString();
  }

  private static String chunks(int total) {
    StringBuilder body = new StringBuilder();
    String piece = "x".repeat(8192);
    for (int sent = 0; sent < total; sent += piece.length()) {
      body.append(Integer.toHexString(piece.length())).append("\r\n").append(piece).append("\r\n");
    }
    return body.append("0\r\n\r\n").toString();
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
