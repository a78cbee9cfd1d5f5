package dev.turnpike.contract;

/**
 * The {@code request_type} a routing rule sees (Bifrost's names): which call the client made, on whichever
 * surface. Counting is {@code count_tokens} on every surface.
 */
public final class RequestTypes {
  public static final String MESSAGES = "messages";
  public static final String COUNT_TOKENS = "count_tokens";
  public static final String CHAT_COMPLETIONS = "chat_completions";
  public static final String BEDROCK_INVOKE = "bedrock_invoke";
  public static final String BEDROCK_CONVERSE = "bedrock_converse";
  public static final String VERTEX_RAW_PREDICT = "vertex_raw_predict";

  private RequestTypes() {}

  /** The type of a call on the Anthropic surface. */
  public static String of(Operation operation) {
    return operation == Operation.COUNT_TOKENS ? COUNT_TOKENS : MESSAGES;
  }

  /** {@code surfaceType} for a message call, {@code count_tokens} for counting. */
  public static String of(Operation operation, String surfaceType) {
    return operation == Operation.COUNT_TOKENS ? COUNT_TOKENS : surfaceType;
  }
}
