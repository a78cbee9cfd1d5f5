package dev.turnpike.contract.openai;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;

/**
 * A body the Chat Completions translators cannot translate. The message names the field
 * ({@code messages[2].content[0].image_url.url: ...}) and never quotes content, so it is safe to log and to return;
 * {@link #param()} is the field alone, for the {@code param} of OpenAI's error JSON.
 */
public final class ChatCompletionsException extends RuntimeException {
  private final FailureCode code;
  private final String param;
  private final String openAiCode;

  private ChatCompletionsException(FailureCode code, String param, String openAiCode, String message) {
    super(message, null, false, false);
    this.code = code;
    this.param = param;
    this.openAiCode = openAiCode;
  }

  /** The client's request is at fault. */
  static ChatCompletionsException invalidRequest(String path, String problem) {
    return invalidRequest(path, problem, null);
  }

  /**
   * The client's request is at fault, in a way OpenAI names: {@code unsupported_parameter},
   * {@code unsupported_value}, {@code invalid_parameter_combination}.
   */
  static ChatCompletionsException invalidRequest(String path, String problem, String openAiCode) {
    return new ChatCompletionsException(FailureCode.INVALID_REQUEST, path.isEmpty() ? null : path, openAiCode,
        path.isEmpty() ? problem : path + ": " + problem);
  }

  /** The upstream's answer is at fault: another target might answer in a form we can translate. */
  static ChatCompletionsException badUpstream(String path, String problem) {
    return new ChatCompletionsException(FailureCode.UPSTREAM_ERROR, null, null,
        "Upstream answer: " + (path.isEmpty() ? problem : path + ": " + problem));
  }

  public FailureCode code() {
    return code;
  }

  /** The request field at fault, or null (the body as a whole, or the upstream's answer). */
  public String param() {
    return param;
  }

  /** OpenAI's {@code code} for the refusal, or null. */
  public String openAiCode() {
    return openAiCode;
  }

  public Failure failure() {
    return Failure.of(code, getMessage());
  }
}
