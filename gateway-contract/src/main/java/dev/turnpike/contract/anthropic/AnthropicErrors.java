package dev.turnpike.contract.anthropic;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.turnpike.contract.Failure;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Anthropic's error wire forms: the JSON body and the SSE {@code error} event. */
public final class AnthropicErrors {
  private AnthropicErrors() {}

  /** {@code {"type":"error","error":{"type":T,"message":M}}} */
  public static Buffer json(Failure failure) {
    return Buffer.buffer(jsonString(failure.code().anthropicType(), failure.message()));
  }

  /** An SSE {@code error} event, for failures after the stream started. */
  public static Buffer sseEvent(Failure failure) {
    return Buffer.buffer("event: error\ndata: " + jsonString(failure.code().anthropicType(), failure.message()) + "\n\n");
  }

  private static String jsonString(String type, String message) {
    String safe = message == null ? "" : new String(JsonStringEncoder.getInstance().quoteAsUTF8(message),
        StandardCharsets.UTF_8);
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + safe + "\"}}";
  }
}
