package dev.turnpike.contract.converse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Typed access to a JSON tree in which every complaint names the field ({@code messages[2].content[0]}). One
 * instance blames the client ({@link #REQUEST}), the other the upstream ({@link #UPSTREAM}).
 */
final class JsonFields {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Duplicate keys are refused: parsers disagree on which one wins. */
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  /** Field names quoted in messages are cut here, so a hostile name cannot make a huge message. */
  private static final int MAX_QUOTED_CHARS = 64;

  static final JsonFields REQUEST = new JsonFields(ConverseException::invalidRequest);
  static final JsonFields UPSTREAM = new JsonFields(ConverseException::badUpstream);

  private final BiFunction<String, String, ConverseException> failure;

  private JsonFields(BiFunction<String, String, ConverseException> failure) {
    this.failure = failure;
  }

  ConverseException fail(String path, String problem) {
    return failure.apply(path, problem);
  }

  /** Parses {@code body}, which must be one JSON object. Parser messages are not passed on: they quote input. */
  ObjectNode parseObject(Buffer body, String what) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body.getBytes());
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      boolean duplicate = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
      throw fail("", what + (duplicate ? " has a field twice" : " is not valid JSON") + where);
    } catch (IOException e) {
      throw fail("", what + " could not be read");
    }
    if (root == null || !root.isObject()) {
      throw fail("", what + " must be a JSON object");
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

  ObjectNode object(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw fail(path, node == null || node.isMissingNode() ? "required" : "must be an object");
    }
    return (ObjectNode) node;
  }

  ArrayNode array(JsonNode node, String path) {
    if (node == null || !node.isArray()) {
      throw fail(path, node == null || node.isMissingNode() ? "required" : "must be an array");
    }
    return (ArrayNode) node;
  }

  String text(JsonNode node, String path) {
    if (node == null || !node.isTextual()) {
      throw fail(path, node == null || node.isMissingNode() ? "required" : "must be a string");
    }
    return node.textValue();
  }

  /** A string that must not be empty (ids, names, base64 data). */
  String nonEmptyText(JsonNode node, String path) {
    String value = text(node, path);
    if (value.isEmpty()) {
      throw fail(path, "must not be empty");
    }
    return value;
  }

  /** The string at {@code path} if present, else null. */
  String optionalText(JsonNode node, String path) {
    return node == null || node.isNull() ? null : text(node, path);
  }

  boolean bool(JsonNode node, String path) {
    if (node == null || !node.isBoolean()) {
      throw fail(path, node == null || node.isMissingNode() ? "required" : "must be true or false");
    }
    return node.booleanValue();
  }

  /** Refuses any field of {@code object} outside {@code allowed}. */
  void allowOnly(ObjectNode object, String path, Set<String> allowed) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw fail(path, "unknown field " + quote(name));
      }
    }
  }

  /**
   * The one member of a union (a Converse object in which exactly one field is set), refused when there are none,
   * several, or one outside {@code known}.
   *
   * @param noun what the union is, for messages: "block", "tool", "tool choice"
   */
  String unionMember(JsonNode node, String path, String noun, Set<String> known) {
    ObjectNode union = object(node, path);
    List<String> members = new ArrayList<>(2);
    union.fieldNames().forEachRemaining(members::add);
    if (members.isEmpty()) {
      throw fail(path, "empty " + noun);
    }
    String member = members.get(0);
    if (!known.contains(member)) {
      throw fail(path, "unknown " + noun + " " + quote(member));
    }
    if (members.size() > 1) {
      throw fail(path, "a " + noun + " has exactly one member, found " + quote(member) + " and "
          + quote(members.get(1)));
    }
    return member;
  }

  static String quote(String name) {
    return "'" + (name.length() <= MAX_QUOTED_CHARS ? name : name.substring(0, MAX_QUOTED_CHARS) + "...") + "'";
  }
}
