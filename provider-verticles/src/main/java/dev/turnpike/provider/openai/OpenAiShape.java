package dev.turnpike.provider.openai;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.config.ProviderConfig;
import io.vertx.core.buffer.Buffer;

/** Dialect {@code openai}: {@code POST {base_url}/v1/chat/completions}, the model in the body, OpenAI's errors. */
public final class OpenAiShape implements ChatCompletionsShape {
  @Override
  public String uri(InvokeRequest request, ProviderConfig provider) {
    return provider.baseUrl() + "/v1/chat/completions";
  }

  @Override
  public Failure failure(InvokeRequest request, ProviderConfig provider, int status, Buffer body) {
    return OpenAiErrorMapper.toFailure(status, body);
  }
}
