package dev.turnpike.provider.openai;

import dev.turnpike.contract.Failure;
import dev.turnpike.provider.UpstreamFailures;
import io.vertx.core.buffer.Buffer;

/**
 * An OpenAI(-compatible) error answer to a {@link Failure}. Reads {@code {"error":{"message","type","code"}}},
 * the flat {@code {"message":...}} some compatible servers send, or plain text. The message names the upstream
 * status and the upstream's words, cut short and with anything key-shaped masked (OpenAI echoes part of a bad
 * key in its 401 message).
 */
public final class OpenAiErrorMapper {
  private OpenAiErrorMapper() {}

  public static Failure toFailure(int httpStatus, Buffer body) {
    String upstreamMessage = UpstreamFailures.messageOf(body);
    StringBuilder message = new StringBuilder("Upstream answered HTTP ").append(httpStatus);
    if (!upstreamMessage.isEmpty()) {
      message.append(": ").append(upstreamMessage);
    }
    return Failure.of(UpstreamFailures.codeFor(httpStatus), message.toString());
  }
}
