package dev.turnpike.edge;

/**
 * The path of a Bedrock Runtime model call under the edge's {@code /bedrock} base,
 * {@code /bedrock/model/{modelId}/{action}}. The model id is everything between, still percent-encoded: an ARN may
 * arrive with its {@code /} encoded ({@code %2F}, as the AWS SDKs send it) or not.
 *
 * @param rawModelId the id as it appears in the path; {@link UrlModelId#decode} makes it a model name
 */
record BedrockPath(String rawModelId, Action action) {
  static final String MODEL_PREFIX = "/bedrock/model/";

  enum Action {
    INVOKE("invoke"),
    INVOKE_STREAM("invoke-with-response-stream"),
    COUNT_TOKENS("count-tokens"),
    CONVERSE("converse"),
    CONVERSE_STREAM("converse-stream");

    private final String segment;

    Action(String segment) {
      this.segment = segment;
    }

    static Action of(String segment) {
      for (Action action : values()) {
        if (action.segment.equals(segment)) {
          return action;
        }
      }
      return null;
    }
  }

  /** The call {@code path} names, or null when it is no Bedrock Runtime model call. */
  static BedrockPath parse(String path) {
    if (!path.startsWith(MODEL_PREFIX)) {
      return null;
    }
    int lastSlash = path.lastIndexOf('/');
    if (lastSlash <= MODEL_PREFIX.length()) {
      return null;
    }
    Action action = Action.of(path.substring(lastSlash + 1));
    return action == null ? null : new BedrockPath(path.substring(MODEL_PREFIX.length(), lastSlash), action);
  }
}
