package dev.turnpike.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.UncheckedIOException;

/**
 * Writes Anthropic SSE frames: {@code event: <type>\ndata: <json>\n\n}. Claude Code drops frames without an
 * {@code event:} line, so every frame has one. Compact JSON never contains a raw line break.
 */
public final class AnthropicSse {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnthropicSse() {}

  public static void append(Buffer out, String type, ObjectNode data) {
    try {
      out.appendString("event: ").appendString(type).appendString("\ndata: ")
          .appendBytes(JSON.writeValueAsBytes(data)).appendString("\n\n");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of plain nodes always serialises
    }
  }

}
