package dev.turnpike.app.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * One fake Microsoft Foundry resource on 127.0.0.1: its Azure OpenAI deployments under {@code /openai/...}
 * ({@link FakeAzureOpenAiUpstream}) and its Claude deployments under {@code /anthropic/...}
 * ({@link FakeFoundryUpstream}), at one address and behind one key, as a real resource serves both.
 */
public final class FakeAzureResource {
  private final Vertx vertx;
  private final FakeAzureOpenAiUpstream openAi;
  private final FakeFoundryUpstream claude;
  private HttpServer server;

  /**
   * @param openAiDeployments deployment name to the model it serves
   * @param claudeDeployments names of the Claude deployments
   */
  public FakeAzureResource(Vertx vertx, String key, Map<String, String> openAiDeployments,
                           Set<String> claudeDeployments) {
    this.vertx = vertx;
    this.openAi = new FakeAzureOpenAiUpstream(vertx, openAiDeployments).requireKey(key);
    this.claude = new FakeFoundryUpstream(vertx, claudeDeployments).requireKey(key);
  }

  public Future<FakeAzureResource> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(http -> {
          if (http.path().startsWith("/anthropic/")) {
            claude.requestHandler().handle(http);
          } else if (http.path().startsWith("/openai/")) {
            openAi.requestHandler().handle(http);
          } else {
            http.response().setStatusCode(404).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("code", "404")
                    .put("message", "Resource not found")).encode());
          }
        })
        .listen()
        .map(s -> {
          server = s;
          return this;
        });
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public FakeAzureOpenAiUpstream openAi() {
    return openAi;
  }

  public FakeFoundryUpstream claude() {
    return claude;
  }

  /** The file both APIs' default scripts have Claude Code's Bash tool write. */
  public FakeAzureResource bashTarget(Path file) {
    openAi.bashTarget(file);
    claude.bashTarget(file);
    return this;
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
