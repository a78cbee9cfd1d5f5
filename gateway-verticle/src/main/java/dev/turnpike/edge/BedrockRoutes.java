package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestTypes;
import dev.turnpike.contract.config.BedrockSurfaceConfig;
import dev.turnpike.contract.converse.ConverseException;
import dev.turnpike.contract.converse.ConverseRequestTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The Bedrock surface (ARCHITECTURE.md §3), for Claude Code with {@code CLAUDE_CODE_USE_BEDROCK=1} and
 * {@code ANTHROPIC_BEDROCK_BASE_URL=http://<gateway>/bedrock}: the inference profiles, and InvokeModel,
 * InvokeModelWithResponseStream, CountTokens, Converse and ConverseStream, each turned into an ordinary Anthropic
 * Messages call with the model named by the URL and answered in Bedrock's form ({@link BedrockClientDialect},
 * {@link ConverseClientDialect}).
 */
final class BedrockRoutes {
  private final EdgeRuntime runtime;
  private final InferenceProfiles profiles;

  BedrockRoutes(EdgeRuntime runtime, BedrockSurfaceConfig config) {
    this.runtime = runtime;
    this.profiles = new InferenceProfiles(config);
  }

  void mount(Router router) {
    router.get(InferenceProfiles.LIST_PATH).handler(profiles::list);
    router.get(InferenceProfiles.LIST_PATH + "/*").handler(profiles::get);
    // The model id may hold ':' and '/' (an ARN): the path is parsed here rather than by the router's patterns.
    router.post(BedrockPath.MODEL_PREFIX + "*").handler(this::model);
  }

  /** Whether {@code path} belongs to this surface, whose errors are Bedrock's. */
  static boolean owns(String path) {
    return path.startsWith("/bedrock/");
  }

  private void model(RoutingContext ctx) {
    BedrockPath path = BedrockPath.parse(ctx.normalizedPath());
    if (path == null) {
      ctx.next(); // no such action: the edge's 404, in Bedrock's form
      return;
    }
    String model;
    try {
      model = UrlModelId.decode(path.rawModelId());
    } catch (Failure.FailureException e) {
      new ModelRequest(runtime, ctx.request(), call(path.action(), null)).refuse(e.failure());
      return;
    }
    new ModelRequest(runtime, ctx.request(), call(path.action(), model)).start();
  }

  private SurfaceCall call(BedrockPath.Action action, String model) {
    return switch (action) {
      case INVOKE -> invoke(BedrockClientDialect.Mode.INVOKE, model, false);
      case INVOKE_STREAM -> invoke(BedrockClientDialect.Mode.INVOKE_STREAM, model, true);
      case COUNT_TOKENS -> new SurfaceCall(Operation.COUNT_TOKENS, RequestTypes.COUNT_TOKENS,
          new BedrockClientDialect(BedrockClientDialect.Mode.COUNT_TOKENS),
          (body, request) -> countTokens(body, request, model));
      case CONVERSE -> converse(model, false);
      case CONVERSE_STREAM -> converse(model, true);
    };
  }

  private static SurfaceCall invoke(BedrockClientDialect.Mode mode, String model, boolean stream) {
    return new SurfaceCall(Operation.MESSAGES, RequestTypes.BEDROCK_INVOKE, new BedrockClientDialect(mode),
        (body, request) -> CloudCanonicaliser.canonical(body, request.headers(), model, Operation.MESSAGES, stream));
  }

  private SurfaceCall converse(String model, boolean stream) {
    return new SurfaceCall(Operation.MESSAGES, RequestTypes.BEDROCK_CONVERSE,
        new ConverseClientDialect(stream, runtime.config().server().maxAnswerBytes()),
        (body, request) -> fromConverse(body, request, model, stream));
  }

  /** What a CountTokens call counts, as an Anthropic count_tokens body (the betas in the header). */
  private static CanonicalRequest countTokens(Buffer body, HttpServerRequest request, String model) {
    BedrockCountTokensBody.Input input = BedrockCountTokensBody.read(body);
    if (!input.converse()) {
      return CloudCanonicaliser.canonical(input.body(), request.headers(), model, Operation.COUNT_TOKENS, false);
    }
    CanonicalRequest translated = fromConverse(input.body(), request, model, false);
    return CloudCanonicaliser.canonical(translated.body(), translated.headers(), model, Operation.COUNT_TOKENS,
        false);
  }

  /** A Converse body as an Anthropic one; its {@code anthropic_beta} go to the header as for InvokeModel. */
  private static CanonicalRequest fromConverse(Buffer body, HttpServerRequest request, String model,
                                               boolean stream) {
    ConverseRequestTranslator.AnthropicRequest translated;
    try {
      translated = ConverseRequestTranslator.translate(body, model, stream);
    } catch (ConverseException e) {
      throw new Failure.FailureException(Failure.of(e.code(), e.getMessage()));
    }
    return new CanonicalRequest(translated.body(), CloudCanonicaliser.withBetas(request.headers(),
        translated.betas()), null);
  }
}
