package dev.turnpike.provider.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.config.ProviderConfig;

/**
 * Where a Gemini API lives and what its requests may hold: Google AI Studio ({@link AiStudioEndpoint}) and
 * Vertex AI serve the same {@code GenerateContentRequest} under different paths, with small differences.
 */
public interface GeminiEndpoint {
  /**
   * The absolute URI of {@code generateContent}, or of {@code streamGenerateContent?alt=sse} when streaming.
   *
   * @throws dev.turnpike.contract.Failure.FailureException when the provider lacks what the URI needs
   */
  String generateUri(ProviderConfig provider, String model, boolean stream);

  /** The absolute URI of {@code countTokens}. */
  String countTokensUri(ProviderConfig provider, String model);

  /** Whether {@code functionCall} and {@code functionResponse} have an {@code id} field on this API. */
  boolean sendsCallIds();

  /** The {@code countTokens} body for a translated {@code generateContent} request. */
  ObjectNode countTokensBody(ObjectNode generateContent, String model);
}
