package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.anthropic.AnthropicErrors;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Anthropic's own form, the providers' form too: every byte as the provider sent it, errors as Anthropic error JSON
 * or an SSE {@code error} event. The Vertex surface answers in it as well: Vertex's Anthropic publisher endpoints
 * return Anthropic's SSE and error bodies unchanged, and that is what Claude Code's Vertex client reads.
 */
final class AnthropicClientDialect implements ClientDialect {
  /** Stateless, so every request shares it. */
  static final AnthropicClientDialect INSTANCE = new AnthropicClientDialect();

  private AnthropicClientDialect() {}

  @Override
  public void head(MultiMap headers, boolean eventStream) {
    // The provider's headers are already Anthropic's.
  }

  @Override
  public Buffer data(Buffer bytes, boolean eventStream) {
    return bytes;
  }

  @Override
  public Buffer streamError(Failure cause) {
    return AnthropicErrors.sseEvent(Failure.of(FailureCode.STREAM_ENDED_EARLY, cause.message()));
  }

  @Override
  public int errorStatus(Failure failure) {
    return failure.upstreamReply() != null ? failure.upstreamReply().status() : failure.code().httpStatus();
  }

  @Override
  public Future<Void> error(HttpServerResponse response, Failure failure) {
    return ClientResponses.error(response, failure);
  }
}
