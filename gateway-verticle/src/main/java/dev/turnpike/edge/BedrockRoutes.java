package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.config.BedrockSurfaceConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The Bedrock surface (ARCHITECTURE.md §3), for Claude Code with {@code CLAUDE_CODE_USE_BEDROCK=1} and
 * {@code ANTHROPIC_BEDROCK_BASE_URL=http://<gateway>/bedrock}: the inference profiles, and InvokeModel,
 * InvokeModelWithResponseStream and CountTokens, each turned into an ordinary Anthropic Messages call with the model
 * named by the URL and answered in Bedrock's form ({@link BedrockClientDialect}). Converse is refused for now.
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
    BedrockClientDialect.Mode mode = switch (path.action()) {
      case INVOKE -> BedrockClientDialect.Mode.INVOKE;
      case INVOKE_STREAM -> BedrockClientDialect.Mode.INVOKE_STREAM;
      case COUNT_TOKENS -> BedrockClientDialect.Mode.COUNT_TOKENS;
      case CONVERSE, CONVERSE_STREAM -> null;
    };
    Operation operation = mode == BedrockClientDialect.Mode.COUNT_TOKENS ? Operation.COUNT_TOKENS
        : Operation.MESSAGES;
    boolean stream = mode == BedrockClientDialect.Mode.INVOKE_STREAM;
    String model = null;
    Failure refusal = null;
    if (mode == null) {
      refusal = Failure.of(FailureCode.INVALID_REQUEST, "Converse is not supported yet by Turnpike; use "
          + "InvokeModel (invoke, invoke-with-response-stream)");
    } else {
      try {
        model = UrlModelId.decode(path.rawModelId());
      } catch (Failure.FailureException e) {
        refusal = e.failure();
      }
    }
    String modelId = model;
    SurfaceCall call = new SurfaceCall(operation,
        new BedrockClientDialect(mode == null ? BedrockClientDialect.Mode.INVOKE : mode),
        (body, request) -> CloudCanonicaliser.canonical(
            operation == Operation.COUNT_TOKENS ? BedrockCountTokensBody.invokeBody(body) : body,
            request.headers(), modelId, operation, stream));
    ModelRequest modelRequest = new ModelRequest(runtime, ctx.request(), call);
    if (refusal != null) {
      modelRequest.refuse(refusal);
    } else {
      modelRequest.start();
    }
  }
}
