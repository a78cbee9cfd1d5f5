package dev.turnpike.contract.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and rewrites the top-level fields of a JSON object body without building a tree, so every field it is not
 * asked to change keeps its exact bytes (unknown fields, betas, number formats). Same-family hops use it to move
 * a body between Anthropic's own form and the Bedrock and Vertex forms ({@code model} in the URL,
 * {@code anthropic_version} and {@code anthropic_beta} in the body).
 */
public final class TopLevelFields {
  private TopLevelFields() {}

  /** One field's place in the body: from its name's opening quote to just past its value. */
  private record Span(String name, int start, int valueStart, int end) {}

  /**
   * Returns {@code body} with each field of {@code set} given the raw JSON value mapped to it (replaced in place
   * when present, added at the front otherwise) and each field of {@code remove} left out. A body that is not a
   * JSON object comes back unchanged: the edge has already refused such bodies.
   *
   * @param set field name to its value as JSON text (for a string, with its quotes), in the order to add them
   */
  public static Buffer patch(Buffer body, Map<String, String> set, Set<String> remove) {
    List<Span> spans = spans(body);
    if (spans == null) {
      return body;
    }
    Buffer out = Buffer.buffer(body.length() + 64);
    out.appendByte((byte) '{');
    boolean first = true;
    for (Map.Entry<String, String> field : set.entrySet()) {
      if (spans.stream().noneMatch(span -> span.name().equals(field.getKey()))) {
        first = appendSeparator(out, first);
        appendField(out, field.getKey(), field.getValue());
      }
    }
    for (Span span : spans) {
      if (remove.contains(span.name())) {
        continue;
      }
      first = appendSeparator(out, first);
      String replacement = set.get(span.name());
      if (replacement == null) {
        out.appendBuffer(body, span.start(), span.end() - span.start());
      } else {
        out.appendBuffer(body, span.start(), span.valueStart() - span.start());
        out.appendString(replacement);
      }
    }
    return out.appendByte((byte) '}');
  }

  /** The raw JSON text of the top-level field {@code name}, or null when the body has no such field. */
  public static String raw(Buffer body, String name) {
    List<Span> spans = spans(body);
    if (spans != null) {
      for (Span span : spans) {
        if (span.name().equals(name)) {
          return body.getString(span.valueStart(), span.end(), StandardCharsets.UTF_8.name());
        }
      }
    }
    return null;
  }

  /** {@code value} as a JSON string literal. */
  public static String quoted(String value) {
    return '"' + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsUTF8(value),
        StandardCharsets.UTF_8) + '"';
  }

  private static boolean appendSeparator(Buffer out, boolean first) {
    if (!first) {
      out.appendByte((byte) ',');
    }
    return false;
  }

  private static void appendField(Buffer out, String name, String rawValue) {
    out.appendString(quoted(name)).appendByte((byte) ':').appendString(rawValue);
  }

  private static List<Span> spans(Buffer body) {
    List<Span> spans = new ArrayList<>();
    try (JsonParser parser = AnthropicBody.parserOver(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        int start = (int) parser.currentTokenLocation().getByteOffset();
        JsonToken value = parser.nextToken();
        int valueStart = (int) parser.currentTokenLocation().getByteOffset();
        if (value.isStructStart()) {
          parser.skipChildren();
        } else {
          parser.getText(); // completes a lazily read token so the location below is just past it
        }
        spans.add(new Span(name, start, valueStart, (int) parser.currentLocation().getByteOffset()));
      }
      return parser.currentToken() == JsonToken.END_OBJECT ? spans : null;
    } catch (IOException e) {
      return null;
    }
  }
}
