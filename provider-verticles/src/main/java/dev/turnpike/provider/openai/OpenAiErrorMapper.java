package dev.turnpike.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.Failure;
import dev.turnpike.provider.UpstreamFailures;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * An OpenAI(-compatible) error answer to a {@link Failure}. Reads {@code {"error":{"message","type","code"}}},
 * the flat {@code {"message":...}} some compatible servers send, or plain text. The message names the upstream
 * status and the upstream's words, cut short and with anything key-shaped masked (OpenAI echoes part of a bad
 * key in its 401 message).
 */
public final class OpenAiErrorMapper {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiErrorMapper() {}

  public static Failure toFailure(int httpStatus, Buffer body) {
    String upstreamMessage = upstreamMessage(body);
    StringBuilder message = new StringBuilder("Upstream answered HTTP ").append(httpStatus);
    if (!upstreamMessage.isEmpty()) {
      message.append(": ").append(upstreamMessage);
    }
    return Failure.of(UpstreamFailures.codeFor(httpStatus), message.toString());
  }

  /** The upstream's own words, made safe by {@link UpstreamFailures#redact}. */
  static String upstreamMessage(Buffer body) {
    if (body == null || body.length() == 0) {
      return "";
    }
    String text = body.toString(StandardCharsets.UTF_8);
    String message = text;
    try {
      JsonNode root = JSON.readTree(text);
      if (root != null && root.isObject()) {
        message = fromJson(root);
      }
    } catch (IOException e) {
      // not JSON: the body itself, an HTML error page or a proxy's plain text
    }
    return UpstreamFailures.redact(message);
  }

  private static String fromJson(JsonNode root) {
    JsonNode error = root.path("error");
    if (error.isTextual()) {
      return error.asText();
    }
    JsonNode holder = error.isObject() ? error : root;
    String message = holder.path("message").asText("");
    String type = holder.path("type").asText("");
    String code = holder.path("code").isValueNode() && !holder.path("code").isNull()
        ? holder.path("code").asText() : "";
    StringBuilder out = new StringBuilder(message.isEmpty() ? root.toString() : message);
    if (!type.isEmpty() || !code.isEmpty()) {
      out.append(" (");
      if (!type.isEmpty()) {
        out.append("type ").append(type);
      }
      if (!code.isEmpty()) {
        out.append(type.isEmpty() ? "" : ", ").append("code ").append(code);
      }
      out.append(')');
    }
    return out.toString();
  }
}
