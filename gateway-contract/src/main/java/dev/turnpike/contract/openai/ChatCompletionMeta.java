package dev.turnpike.contract.openai;

import java.util.Objects;

/**
 * What a {@code chat.completion} (or each of its chunks) says about itself that the Anthropic answer does not.
 *
 * @param id the completion's id ({@code chatcmpl-...}), the same in every chunk
 * @param created Unix seconds, the same in every chunk
 * @param requestedModel reported when the Anthropic answer names no model
 */
public record ChatCompletionMeta(String id, long created, String requestedModel) {
  public ChatCompletionMeta {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(requestedModel, "requestedModel");
  }
}
