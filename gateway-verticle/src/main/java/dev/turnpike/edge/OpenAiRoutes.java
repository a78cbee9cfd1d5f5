package dev.turnpike.edge;

import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestTypes;
import dev.turnpike.contract.openai.ChatCompletionMeta;
import dev.turnpike.contract.openai.ChatCompletionsException;
import dev.turnpike.contract.openai.ChatCompletionsRequestTranslator;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * The OpenAI surface (ARCHITECTURE.md §3), for any OpenAI client with its base URL at {@code http://<gateway>/v1}
 * (or {@code /openai/v1}): Chat Completions, turned into an ordinary Anthropic Messages call by the contract's
 * translator and answered in OpenAI's form ({@link OpenAiClientDialect}). The model lists are {@link ModelsHandler}'s.
 */
final class OpenAiRoutes {
  static final List<String> CHAT_COMPLETIONS = List.of("/v1/chat/completions", "/openai/v1/chat/completions");

  private final EdgeRuntime runtime;

  OpenAiRoutes(EdgeRuntime runtime) {
    this.runtime = runtime;
  }

  void mount(Router router) {
    for (String path : CHAT_COMPLETIONS) {
      router.post(path).handler(this::chatCompletions);
    }
  }

  /** Whether {@code path} belongs to this surface, whose errors are OpenAI's. */
  static boolean owns(String path) {
    return path.startsWith("/v1/") || path.equals("/v1") || path.startsWith("/openai/");
  }

  private void chatCompletions(RoutingContext ctx) {
    OpenAiClientDialect dialect = new OpenAiClientDialect(runtime.config().server().maxAnswerBytes());
    new ModelRequest(runtime, ctx.request(), new SurfaceCall(Operation.MESSAGES, RequestTypes.CHAT_COMPLETIONS, dialect,
        (body, request) -> canonical(body, request, dialect))).start();
  }

  private static CanonicalRequest canonical(Buffer body, HttpServerRequest request, OpenAiClientDialect dialect) {
    ChatCompletionsRequestTranslator.AnthropicRequest translated;
    try {
      translated = ChatCompletionsRequestTranslator.translate(body);
    } catch (ChatCompletionsException e) {
      throw dialect.refused(e);
    }
    String requestId = request.response().headers().get(ClientResponses.REQUEST_ID);
    dialect.translated(new ChatCompletionMeta("chatcmpl-" + requestId, System.currentTimeMillis() / 1000,
        translated.model()), translated.answer());
    return new CanonicalRequest(translated.body(), forwardable(request.headers()), null);
  }

  /**
   * The client's headers without what its OpenAI SDK says to OpenAI ({@code openai-organization},
   * {@code openai-project}, {@code x-stainless-*} retry and runtime details): meaningless, or misleading, to another
   * vendor's API.
   */
  private static MultiMap forwardable(MultiMap client) {
    MultiMap headers = HttpHeaders.headers();
    client.forEach(header -> {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!name.startsWith("openai-") && !name.startsWith("x-stainless-")) {
        headers.add(header.getKey(), header.getValue());
      }
    });
    return headers;
  }
}
