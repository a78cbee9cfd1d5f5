package dev.turnpike.app.gateway;

import dev.turnpike.app.TurnpikeNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A real node on 127.0.0.1 and a plain HTTP client, so tests read like a client's session. */
final class GatewayHarness implements AutoCloseable {
  static final String CLIENT_KEY = "sk-client-key-never-forwarded";
  private final TurnpikeNode node;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GatewayHarness(TurnpikeNode node) {
    this.node = node;
  }

  /** Starts a standalone node (no cluster: these tests are about one node's data path). */
  static GatewayHarness start(JsonObject config) throws Exception {
    JsonObject full = config.copy()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("event_loops", 2)
            .mergeIn(config.getJsonObject("server", new JsonObject())))
        .put("cluster", new JsonObject().put("enabled", false));
    return new GatewayHarness(TurnpikeNode.start(full).await());
  }

  /** A provider entry of the config: its dialect, where its (fake) upstream listens, and the key to present. */
  static JsonObject provider(String dialect, String baseUrl, String key) {
    return new JsonObject().put("dialect", dialect).put("base_url", baseUrl)
        .put("keys", new io.vertx.core.json.JsonArray().add(new JsonObject().put("value", key)));
  }

  String url(String path) {
    return "http://127.0.0.1:" + node.port() + path;
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers) throws IOException,
      InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A Claude Code-like call: its key, its version headers, {@code ?beta=true}. */
  HttpResponse<String> messages(String body) throws IOException, InterruptedException {
    return post("/anthropic/v1/messages?beta=true", body, Map.of("x-api-key", CLIENT_KEY,
        "anthropic-version", "2023-06-01", "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14",
        "content-type", "application/json"));
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpClient http() {
    return http;
  }

  TurnpikeNode node() {
    return node;
  }

  @Override
  public void close() throws Exception {
    node.close().await();
  }
}
