package dev.turnpike.contract.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * A local input-token estimate for an Anthropic request, used where no upstream can count: about four
 * characters of text per token (Anthropic's own rule of thumb), plus a few tokens per message and block.
 * It overestimates JSON-heavy tool schemas a little, which is the safe side for budgets.
 */
public final class TokenEstimator {
  private static final int CHARS_PER_TOKEN = 4;
  private static final int TOKENS_PER_OBJECT = 3;
  /** Base64 images are billed by pixels, not characters; a typical screenshot is ~1,600 tokens. */
  private static final int TOKENS_PER_IMAGE = 1600;

  private TokenEstimator() {}

  public static long estimate(Buffer body) {
    long chars = 0;
    long objects = 0;
    long images = 0;
    try (JsonParser parser = AnthropicBody.parserOver(body)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.START_OBJECT) {
          objects++;
        } else if (token == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          if ("data".equals(name) && parser.nextToken() == JsonToken.VALUE_STRING) {
            images++; // base64 source data
          } else if ("model".equals(name) || "max_tokens".equals(name) || "stream".equals(name)
              || "metadata".equals(name) || "cache_control".equals(name)) {
            parser.nextToken();
            parser.skipChildren();
          } else {
            chars += name.length();
          }
        } else if (token == JsonToken.VALUE_STRING) {
          chars += parser.getTextLength();
        }
      }
    } catch (IOException e) {
      return Math.max(1, body.length() / CHARS_PER_TOKEN);
    }
    return Math.max(1, chars / CHARS_PER_TOKEN + objects * TOKENS_PER_OBJECT + images * TOKENS_PER_IMAGE);
  }
}
