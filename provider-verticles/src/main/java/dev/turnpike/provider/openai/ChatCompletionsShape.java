package dev.turnpike.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.config.ProviderConfig;
import io.vertx.core.buffer.Buffer;

/**
 * The pure part of a dialect that speaks Chat Completions (OpenAI and its compatible servers, Azure OpenAI): where
 * the call goes, what this upstream takes of the translated request, and how its error answers read. No I/O, no
 * credentials; {@link OpenAiAdapter} does the rest with the shared translators.
 */
public interface ChatCompletionsShape {
  /**
   * The absolute URI of the call, as it goes on the wire (percent-encoded, query included).
   *
   * @throws Failure.FailureException when the request cannot be expressed for this upstream
   */
  String uri(InvokeRequest request, ProviderConfig provider);

  /**
   * The translated request as this upstream takes it; {@code chatRequest} is this call's own and may be changed in
   * place. The default takes it as it is.
   */
  default ObjectNode adapt(ObjectNode chatRequest, InvokeRequest request, ProviderConfig provider) {
    return chatRequest;
  }

  /**
   * The failure for an error answer ({@code status} 300 or more) or for an error object inside a stream
   * ({@code status} 500). The adapter adds the upstream's {@code retry-after} when it sent one.
   */
  Failure failure(InvokeRequest request, ProviderConfig provider, int status, Buffer body);
}
