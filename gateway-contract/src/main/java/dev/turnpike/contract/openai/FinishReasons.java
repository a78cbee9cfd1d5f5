package dev.turnpike.contract.openai;

/** Anthropic's {@code stop_reason} to OpenAI's {@code finish_reason}. */
final class FinishReasons {
  private FinishReasons() {}

  /**
   * {@code end_turn}, {@code stop_sequence} and {@code pause_turn} (no server tools are sent from this surface, and
   * the content is complete) are {@code stop}; {@code max_tokens} and {@code model_context_window_exceeded} are
   * {@code length}; {@code tool_use} is {@code tool_calls} ({@code function_call} for the deprecated functions);
   * {@code refusal} (the model declined for safety) is {@code content_filter}. Null, or a reason added later, is
   * {@code stop}.
   */
  static String fromAnthropic(String stopReason, boolean legacyFunctions) {
    if (stopReason == null) {
      return "stop";
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> legacyFunctions ? "function_call" : "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop";
    };
  }
}
