package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestTypes;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The Vertex AI surface (ARCHITECTURE.md §3), for Claude Code with {@code CLAUDE_CODE_USE_VERTEX=1} and
 * {@code ANTHROPIC_VERTEX_BASE_URL=http://<gateway>/genai}: {@code :rawPredict}, {@code :streamRawPredict} and
 * {@code count-tokens:rawPredict} on Anthropic's publisher models ({@link VertexPath}), each turned into an ordinary
 * Anthropic Messages call. Vertex's Anthropic endpoints answer in Anthropic's own form, so this surface does too.
 */
final class VertexRoutes {
  private final EdgeRuntime runtime;

  VertexRoutes(EdgeRuntime runtime) {
    this.runtime = runtime;
  }

  void mount(Router router) {
    // The model and the method share the last segment ("claude-sonnet-4-5@20250929:streamRawPredict"), which the
    // router's patterns do not split: the path is parsed here.
    router.post(VertexPath.BASE + "*").handler(this::model);
  }

  private void model(RoutingContext ctx) {
    VertexPath path = VertexPath.parse(ctx.normalizedPath());
    if (path == null || path.countTokens() && path.method() == VertexPath.Method.STREAM_RAW_PREDICT) {
      ctx.next(); // the edge's 404
      return;
    }
    boolean counting = path.countTokens();
    Operation operation = counting ? Operation.COUNT_TOKENS : Operation.MESSAGES;
    boolean stream = path.method() == VertexPath.Method.STREAM_RAW_PREDICT;
    String model = null;
    Failure refusal = null;
    if (!counting) {
      try {
        model = UrlModelId.decode(path.rawModel());
      } catch (Failure.FailureException e) {
        refusal = e.failure();
      }
    }
    String modelId = model; // null when counting: count-tokens bodies name their model themselves
    SurfaceCall call = new SurfaceCall(operation, RequestTypes.of(operation, RequestTypes.VERTEX_RAW_PREDICT),
        AnthropicClientDialect.INSTANCE,
        (body, request) -> CloudCanonicaliser.canonical(body, request.headers(), modelId, operation, stream));
    ModelRequest modelRequest = new ModelRequest(runtime, ctx.request(), call);
    if (refusal != null) {
      modelRequest.refuse(refusal);
    } else {
      modelRequest.start();
    }
  }
}
