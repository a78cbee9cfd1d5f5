package dev.turnpike.contract.openai;

/**
 * What the answer translators must know of the Chat Completions request that the Anthropic answer does not say.
 *
 * @param stream whether the client asked for {@code chat.completion.chunk} events
 * @param includeUsage {@code stream_options.include_usage}: a last chunk with the usage and no choices
 * @param legacyFunctions the client sent the deprecated {@code functions}: it reads one {@code function_call} in the
 *     message instead of {@code tool_calls}, and {@code finish_reason: "function_call"}
 */
public record ChatAnswerOptions(boolean stream, boolean includeUsage, boolean legacyFunctions) {
  /** A plain non-streaming request with {@code tools} (or none). */
  public static final ChatAnswerOptions WHOLE = new ChatAnswerOptions(false, false, false);
}
