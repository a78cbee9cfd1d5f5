package dev.turnpike.contract.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.function.BiFunction;

/**
 * Typed access to a JSON tree in which every complaint names the field ({@code messages[2].content}). One instance
 * blames the client ({@link #REQUEST}), the other the upstream ({@link #UPSTREAM}). A JSON {@code null} counts as
 * absent, as it does for OpenAI's optional fields.
 */
final class ChatJson {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Duplicate keys are refused: parsers disagree on which one wins. */
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  /** Names quoted in messages are cut here, so a hostile name cannot make a huge message. */
  private static final int MAX_QUOTED_CHARS = 64;

  static final ChatJson REQUEST = new ChatJson(ChatCompletionsException::invalidRequest);
  static final ChatJson UPSTREAM = new ChatJson(ChatCompletionsException::badUpstream);

  private final BiFunction<String, String, ChatCompletionsException> failure;

  private ChatJson(BiFunction<String, String, ChatCompletionsException> failure) {
    this.failure = failure;
  }

  ChatCompletionsException fail(String path, String problem) {
    return failure.apply(path, problem);
  }

  /** Parses {@code body}, which must be one JSON object. Parser messages are not passed on: they quote input. */
  ObjectNode parseObject(Buffer body, String what) {
    return parseObject(body.getBytes(), what, "");
  }

  /** As {@link #parseObject(Buffer, String)}, blaming {@code path} (a JSON string holding JSON). */
  ObjectNode parseObject(byte[] json, String what, String path) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      boolean duplicate = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
      throw fail(path, what + (duplicate ? " has a field twice" : " is not valid JSON") + where);
    } catch (IOException e) {
      throw fail(path, what + " could not be read");
    }
    if (root == null || !root.isObject()) {
      throw fail(path, what + " must be a JSON object");
    }
    return (ObjectNode) root;
  }

  static Buffer write(JsonNode node) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e); // cannot happen for a tree
    }
  }

  static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  ObjectNode object(JsonNode node, String path) {
    if (absent(node)) {
      throw fail(path, "required");
    }
    if (!node.isObject()) {
      throw fail(path, "must be an object");
    }
    return (ObjectNode) node;
  }

  ArrayNode array(JsonNode node, String path) {
    if (absent(node)) {
      throw fail(path, "required");
    }
    if (!node.isArray()) {
      throw fail(path, "must be an array");
    }
    return (ArrayNode) node;
  }

  String text(JsonNode node, String path) {
    if (absent(node)) {
      throw fail(path, "required");
    }
    if (!node.isTextual()) {
      throw fail(path, "must be a string");
    }
    return node.textValue();
  }

  String nonEmptyText(JsonNode node, String path) {
    String value = text(node, path);
    if (value.isEmpty()) {
      throw fail(path, "must not be empty");
    }
    return value;
  }

  /** The string at {@code path} if present, else null. */
  String optionalText(JsonNode node, String path) {
    return absent(node) ? null : text(node, path);
  }

  /** The boolean at {@code path} if present, else {@code otherwise}. */
  boolean optionalBool(JsonNode node, String path, boolean otherwise) {
    if (absent(node)) {
      return otherwise;
    }
    if (!node.isBoolean()) {
      throw fail(path, "must be true or false");
    }
    return node.booleanValue();
  }

  JsonNode number(JsonNode node, String path) {
    if (!node.isNumber()) {
      throw fail(path, "must be a number");
    }
    return node;
  }

  /** A positive integer that fits an int. */
  int positiveInt(JsonNode node, String path) {
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
      throw fail(path, "must be a positive integer");
    }
    return node.intValue();
  }

  static String quote(String name) {
    return "'" + (name.length() <= MAX_QUOTED_CHARS ? name : name.substring(0, MAX_QUOTED_CHARS) + "...") + "'";
  }
}
