package dev.turnpike.app.fakes;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What both fake upstreams share: an HTTP server on 127.0.0.1 (port 0), a record of every request, a pluggable
 * script, the default "Claude Code" script, API-key checking and the fault-injecting writer. The subclasses only
 * know their dialect's paths, its JSON and its SSE framing.
 *
 * <p>Not thread-safe to reconfigure while requests are in flight from another thread: configure, then drive.
 */
public abstract class FakeUpstream<SELF extends FakeUpstream<SELF>> {

  /** Marker the default script puts in its final text, so a test can find it in Claude Code's result. */
  public static final String DEFAULT_MARKER = "TURNPIKE-FAKE-DONE";

  protected final Vertx vertx;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<String> issuedToolCallIds = new CopyOnWriteArrayList<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private HttpServer server;
  private volatile Function<JsonObject, Reply> script;
  private volatile Faults faults = Faults.none();
  private volatile String requiredKey;
  private volatile Path bashTarget;
  private volatile String marker = DEFAULT_MARKER;

  protected FakeUpstream(Vertx vertx) {
    this.vertx = vertx;
    this.script = this::claudeCodeReply;
  }

  @SuppressWarnings("unchecked")
  private SELF self() {
    return (SELF) this;
  }

  public Future<SELF> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle)
        .listen()
        .map(s -> {
          server = s;
          return self();
        });
  }

  public int port() {
    return server.actualPort();
  }

  /**
   * This fake's request handling, for a server that hosts several fakes under one address (one cloud resource
   * serving two APIs); such a fake is not {@link #start}ed itself.
   */
  public Handler<HttpServerRequest> requestHandler() {
    return this::handle;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  // ---- configuration ---------------------------------------------------------------------------------------

  /** Replaces the script that turns a request body into a reply (runs on the event loop: keep it quick). */
  public SELF script(Function<JsonObject, Reply> script) {
    this.script = script;
    return self();
  }

  /** Back to the default Claude Code script. */
  public SELF claudeCodeScript() {
    this.script = this::claudeCodeReply;
    return self();
  }

  /** As fresh, between tests: nothing recorded, no faults, the default Claude Code script. */
  public SELF reset() {
    clearRequests();
    faults = Faults.none();
    return claudeCodeScript();
  }

  /** Default faults for every reply (a reply's own {@link Reply#withFaults} wins). */
  public SELF faults(Faults faults) {
    this.faults = faults;
    return self();
  }

  /** Answer 401 in the dialect unless the request carries exactly this key (null: accept anything). */
  public SELF requireKey(String key) {
    this.requiredKey = key;
    return self();
  }

  /** The file the default script's Bash command writes ({@code echo turnpike > file}). */
  public SELF bashTarget(Path file) {
    this.bashTarget = file;
    return self();
  }

  public SELF marker(String marker) {
    this.marker = marker;
    return self();
  }

  public String marker() {
    return marker;
  }

  // ---- what was received -----------------------------------------------------------------------------------

  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** Requests to one path (exact, without the query). */
  public List<RecordedRequest> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  public void clearRequests() {
    requests.clear();
  }

  /** Tool-call ids this fake has handed out, in order. */
  public List<String> issuedToolCallIds() {
    return List.copyOf(issuedToolCallIds);
  }

  /** True when some received request carried a tool result quoting this tool-call id. */
  public boolean receivedToolResultFor(String toolCallId) {
    for (RecordedRequest r : requests) {
      JsonObject body = r.json();
      if (body != null && containsToolResultFor(body, toolCallId)) {
        return true;
      }
    }
    return false;
  }

  /** True when a header or a body received so far contains the value (for "the client key never got here"). */
  public boolean anyRequestContains(String value) {
    return requests.stream().anyMatch(r -> r.contains(value));
  }

  // ---- dialect hooks ---------------------------------------------------------------------------------------

  /** Serves one recorded request (body already read). */
  protected abstract void route(RecordedRequest request, HttpServerRequest http);

  /** The exact name of the request's Bash tool, or null when it offers none. */
  protected abstract String bashToolName(JsonObject request);

  /** True when a tool result follows the last assistant turn, i.e. the model's tool call has been answered. */
  protected abstract boolean toolResultAfterLastAssistant(JsonObject request);

  protected abstract boolean containsToolResultFor(JsonObject request, String toolCallId);

  protected abstract String toolCallIdPrefix();

  /** The API key the request presents in this dialect's header, or null. */
  protected abstract String presentedKey(RecordedRequest request);

  // ---- default script --------------------------------------------------------------------------------------

  /**
   * What Claude Code needs for "create the file using Bash, then say done": first a Bash tool call (using the
   * tool's exact name), then, once the tool result is back, a final text with the marker. The text carries
   * non-ASCII characters on purpose so byte-splitting faults land inside UTF-8 sequences.
   */
  public Reply claudeCodeReply(JsonObject request) {
    String bash = bashToolName(request);
    if (bash != null && !toolResultAfterLastAssistant(request)) {
      String file = bashTarget == null ? "turnpike-fake-output.txt" : bashTarget.toString();
      JsonObject args = new JsonObject()
          .put("command", "echo turnpike > '" + file.replace("'", "'\\''") + "'")
          .put("description", "Write the turnpike marker file");
      return Reply.toolCall(nextToolCallId(), bash, args);
    }
    return Reply.text(marker + " \u2713 done \u2014 the file is written.");
  }

  /** A fresh tool-call id in this dialect's style, remembered for {@link #receivedToolResultFor}. */
  public String nextToolCallId() {
    String id = toolCallIdPrefix() + String.format("%024x", 0xC0FFEE00L + sequence.incrementAndGet());
    issuedToolCallIds.add(id);
    return id;
  }

  protected String nextId(String prefix) {
    return prefix + String.format("%024x", 0xFEED00L + sequence.incrementAndGet());
  }

  // ---- request handling ------------------------------------------------------------------------------------

  private void handle(HttpServerRequest http) {
    http.body().onComplete(ar -> {
      Buffer body = ar.succeeded() ? ar.result().copy() : Buffer.buffer();
      MultiMap headers = HttpHeaders.headers().addAll(http.headers());
      RecordedRequest rec = new RecordedRequest(http.method().name(), http.path(), http.query(), headers, body,
          System.currentTimeMillis());
      requests.add(rec);
      if (http.method() == HttpMethod.HEAD) {
        // Claude Code's reachability probe (HEAD /api/hello): any quick answer will do.
        http.response().setStatusCode(200).end();
        return;
      }
      String key = requiredKey;
      if (key != null && !key.equals(presentedKey(rec))) {
        respond(http, rec, Reply.error(401, null, "invalid x-api-key (fake upstream)"), false, null);
        return;
      }
      try {
        route(rec, http);
      } catch (RuntimeException e) {
        // A broken script should fail the test loudly, not hang it.
        if (!http.response().headWritten()) {
          http.response().setStatusCode(500).putHeader("content-type", "text/plain")
              .end("fake upstream script failed: " + e);
        }
      }
    });
  }

  /** Runs the current script (exceptions become a 500 in {@link #handle}). */
  protected Reply runScript(JsonObject request) {
    return script.apply(request);
  }

  /** Renders and sends a reply in the dialect; {@code model} is echoed in the message. */
  protected abstract void respond(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream,
                                  String model);

  /**
   * Sends a rendered response through the fault injector. {@code frames} are whole SSE events (or one JSON
   * body); cuts "after N events" count them.
   */
  protected void send(HttpServerRequest http, Reply reply, int status, MultiMap headers, List<Buffer> frames,
                      boolean chunked) {
    Faults f = reply.faults != null ? reply.faults : faults;
    HttpServerResponse resp = http.response();
    Buffer all = Buffer.buffer();
    frames.forEach(all::appendBuffer);
    int limit = all.length();
    if (f.cut() != Faults.Cut.NONE) {
      if (f.cutAfterEvents() >= 0) {
        limit = 0;
        for (int i = 0; i < Math.min(f.cutAfterEvents(), frames.size()); i++) {
          limit += frames.get(i).length();
        }
      } else {
        limit = (int) Math.min(f.cutAfterBytes(), all.length());
      }
    }
    final int end = limit;
    Runnable start = () -> {
      if (resp.closed()) {
        return;
      }
      resp.setStatusCode(status);
      resp.headers().addAll(headers);
      reply.extraHeaders.forEach(resp.headers()::add);
      if (chunked) {
        resp.setChunked(true);
      } else {
        // The full length even when the body will be cut: that is what a truncated upstream response looks like.
        resp.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(all.length()));
      }
      if (end == all.length() && f.splitEvery() <= 0 && f.pieceDelayMs() <= 0) {
        resp.end(all);
        return;
      }
      resp.writeHead();
      writeFrom(http, all, 0, end, f);
    };
    if (f.firstByteDelayMs() > 0) {
      vertx.setTimer(f.firstByteDelayMs(), t -> start.run());
    } else {
      start.run();
    }
  }

  private void writeFrom(HttpServerRequest http, Buffer all, int pos, int end, Faults f) {
    HttpServerResponse resp = http.response();
    while (true) {
      if (resp.closed()) {
        return;
      }
      if (pos >= end) {
        finish(http, all, end, f);
        return;
      }
      int next = f.splitEvery() > 0 ? Math.min(end, pos + f.splitEvery()) : end;
      resp.write(all.getBuffer(pos, next));
      pos = next;
      if (f.pieceDelayMs() > 0 && pos < end) {
        int from = pos;
        vertx.setTimer(f.pieceDelayMs(), t -> writeFrom(http, all, from, end, f));
        return;
      }
    }
  }

  private void finish(HttpServerRequest http, Buffer all, int end, Faults f) {
    switch (f.cut()) {
      case STALL -> {
        // Send nothing more; the connection stays open until the client gives up or the fake closes.
      }
      case CLOSE -> http.connection().close();
      case NONE -> http.response().end();
    }
  }

  // ---- helpers for the renderers ---------------------------------------------------------------------------

  /** Cuts a string into pieces of at most {@code size} chars without splitting a surrogate pair. */
  protected static List<String> fragments(String s, int size) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      int j = Math.min(s.length(), i + size);
      if (j < s.length() && Character.isHighSurrogate(s.charAt(j - 1))) {
        j++;
      }
      out.add(s.substring(i, j));
      i = j;
    }
    return out;
  }

  protected static MultiMap headers(String... namesAndValues) {
    MultiMap h = HttpHeaders.headers();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      h.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return h;
  }
}
