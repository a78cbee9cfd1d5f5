package dev.turnpike.contract.converse;

/** Anthropic's {@code stop_reason} to Converse's {@code stopReason}. */
final class StopReasons {
  private StopReasons() {}

  /**
   * The four shared reasons keep their names. {@code refusal} (the model declined for safety) is Converse's
   * {@code content_filtered}. {@code pause_turn} (a server-tool loop paused) has no Converse counterpart and no
   * server tools are sent from Converse, so it ends the turn. Null or a reason added later also ends the turn:
   * the content is complete either way.
   */
  static String fromAnthropic(String stopReason) {
    if (stopReason == null) {
      return "end_turn";
    }
    return switch (stopReason) {
      case "tool_use", "max_tokens", "stop_sequence", "model_context_window_exceeded" -> stopReason;
      case "refusal" -> "content_filtered";
      default -> "end_turn";
    };
  }
}
