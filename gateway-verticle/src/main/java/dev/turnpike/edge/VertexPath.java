package dev.turnpike.edge;

/**
 * The path of a call to an Anthropic model on Vertex AI under the edge's {@code /genai} base:
 * {@code /genai[/v1]/projects/{p}/locations/{l}/publishers/anthropic/models/{m}:rawPredict} (or
 * {@code :streamRawPredict}). Claude Code 2.1.197 leaves out the {@code /v1}, 2.1.332 sends it. Counting is the
 * model {@code count-tokens} with {@code :rawPredict}. Project and location say where Vertex would run the call; the
 * gateway holds the cloud credentials and its config says where calls go, so they are read and not used.
 *
 * @param rawModel the model id as it appears in the path; {@link UrlModelId#decode} makes it a model name
 */
record VertexPath(String project, String location, String rawModel, Method method) {
  static final String BASE = "/genai/";
  static final String COUNT_TOKENS_MODEL = "count-tokens";

  enum Method { RAW_PREDICT, STREAM_RAW_PREDICT }

  boolean countTokens() {
    return rawModel.equals(COUNT_TOKENS_MODEL);
  }

  /** The call {@code path} names, or null when it is no Anthropic publisher model call. */
  static VertexPath parse(String path) {
    if (!path.startsWith(BASE)) {
      return null;
    }
    String rest = path.substring(BASE.length());
    if (rest.startsWith("v1/")) {
      rest = rest.substring(3);
    }
    String[] parts = rest.split("/", -1);
    if (parts.length != 8 || !parts[0].equals("projects") || !parts[2].equals("locations")
        || !parts[4].equals("publishers") || !parts[5].equals("anthropic") || !parts[6].equals("models")
        || parts[1].isEmpty() || parts[3].isEmpty()) {
      return null;
    }
    String modelAndMethod = parts[7];
    int colon = modelAndMethod.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    Method method = switch (modelAndMethod.substring(colon + 1)) {
      case "rawPredict" -> Method.RAW_PREDICT;
      case "streamRawPredict" -> Method.STREAM_RAW_PREDICT;
      default -> null;
    };
    return method == null ? null : new VertexPath(parts[1], parts[3], modelAndMethod.substring(0, colon), method);
  }
}
