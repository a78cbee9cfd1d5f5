package dev.turnpike.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema (Claude Code sends 2020-12) to Gemini's {@code Schema}, "a select subset of an OpenAPI 3.0 schema
 * object" whose every field is a protobuf field: an unknown one ({@code $schema}, {@code additionalProperties},
 * {@code exclusiveMinimum}, ...) fails the whole request with "Unknown name". Pure.
 *
 * <p>The rules, from {@code google/ai/generativelanguage/v1beta/content.proto} (message {@code Schema}) and the
 * Vertex AI one, and what the Gemini API refuses:
 * <ul>
 *   <li>Kept: {@code type} (upper-case enum), {@code format}, {@code title}, {@code description},
 *   {@code nullable}, {@code enum} (strings only), {@code items}, {@code minItems}, {@code maxItems},
 *   {@code properties}, {@code required}, {@code minProperties}, {@code maxProperties}, {@code minimum},
 *   {@code maximum}, {@code minLength}, {@code maxLength}, {@code pattern}, {@code anyOf}, {@code default}.</li>
 *   <li>Converted: {@code type: [T, "null"]} and {@code anyOf} with a null branch become {@code nullable};
 *   several types become {@code anyOf}; {@code oneOf} is read as {@code anyOf}; {@code allOf} of objects is
 *   merged; {@code const} becomes a one-value {@code enum}; local {@code $ref}s ({@code #/$defs/...},
 *   {@code #/definitions/...}) are inlined, {@value #MAX_DEPTH} levels at most (a recursive schema ends in a
 *   free-form object); {@code exclusiveMinimum}/{@code exclusiveMaximum} become {@code minimum}/{@code maximum}
 *   (one more or less for integers); non-string enums and formats Gemini does not know move into the
 *   description.</li>
 *   <li>What the subset cannot say is approximated: a value of any type becomes a string, an array without
 *   {@code items} an array of strings, a {@code required} name without a property is dropped. The rest
 *   ({@code $schema}, {@code $id}, {@code additionalProperties}, {@code propertyNames}, {@code examples},
 *   {@code if}/{@code then}/{@code else}, ...) is dropped.</li>
 * </ul>
 */
public final class GeminiSchema {
  static final int MAX_DEPTH = 12;
  /** 2^53: integers up to here are exact as doubles (and are written as integers again). */
  private static final double MAX_EXACT_INTEGER = 9007199254740992d;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Map<String, String> TYPES = Map.of("string", "STRING", "number", "NUMBER",
      "integer", "INTEGER", "boolean", "BOOLEAN", "array", "ARRAY", "object", "OBJECT");
  /** Formats that mean something to Gemini for each type; any other goes into the description. */
  private static final Map<String, Set<String>> FORMATS = Map.of("STRING", Set.of("date-time", "enum"),
      "NUMBER", Set.of("float", "double"), "INTEGER", Set.of("int32", "int64"));
  private static final List<String> COPIED_COUNTS = List.of("minItems", "maxItems", "minProperties",
      "maxProperties", "minLength", "maxLength");

  private final JsonNode root;

  private GeminiSchema(JsonNode root) {
    this.root = root;
  }

  /**
   * The {@code parameters} of a function declaration for a tool's {@code input_schema}, or null when the tool
   * takes no parameters (Gemini refuses an {@code OBJECT} without properties there; it wants none).
   */
  public static ObjectNode parameters(JsonNode inputSchema) {
    if (inputSchema == null || !inputSchema.isObject()) {
      return null;
    }
    ObjectNode converted = new GeminiSchema(inputSchema).convert(inputSchema, 0);
    if (!"OBJECT".equals(converted.path("type").asText()) || converted.path("properties").isEmpty()) {
      return null;
    }
    return converted;
  }

  /** One schema, converted on its own (its {@code $ref}s resolve against itself). */
  public static ObjectNode convert(JsonNode schema) {
    return new GeminiSchema(schema).convert(schema, 0);
  }

  private ObjectNode convert(JsonNode schema, int depth) {
    if (depth > MAX_DEPTH || !schema.isObject()) {
      return NODES.objectNode().put("type", depth > MAX_DEPTH ? "OBJECT" : "STRING");
    }
    JsonNode resolved = resolve(schema, depth);
    if (resolved != schema) {
      ObjectNode merged = ((ObjectNode) resolved).deepCopy();
      schema.properties().forEach(e -> {
        if (!"$ref".equals(e.getKey())) {
          merged.set(e.getKey(), e.getValue()); // siblings of a $ref (description, ...) describe this use
        }
      });
      return convert(merged, depth + 1);
    }
    if (schema.path("allOf").isArray() && !schema.path("allOf").isEmpty()) {
      return convert(mergeAllOf(schema), depth + 1);
    }
    ObjectNode out = NODES.objectNode();
    StringBuilder notes = new StringBuilder();
    JsonNode branches = schema.path("anyOf").isArray() ? schema.path("anyOf") : schema.path("oneOf");
    List<String> types = types(schema);
    boolean nullable = types.remove("null") | schema.path("nullable").asBoolean(false);
    if (branches.isArray() && !branches.isEmpty()) {
      List<JsonNode> kept = new ArrayList<>();
      for (JsonNode branch : branches) {
        if (branch.isObject() && "null".equals(branch.path("type").asText(null))) {
          nullable = true;
        } else {
          kept.add(branch);
        }
      }
      if (kept.size() == 1) {
        ObjectNode single = convert(kept.get(0), depth + 1);
        copyAnnotations(schema, single);
        if (nullable) {
          single.put("nullable", true);
        }
        return single;
      }
      if (!kept.isEmpty()) {
        copyAnnotations(schema, out);
        ArrayNode anyOf = out.putArray("anyOf");
        kept.forEach(branch -> anyOf.add(convert(branch, depth + 1)));
        if (nullable) {
          out.put("nullable", true);
        }
        return out;
      }
    }
    if (types.size() > 1) {
      copyAnnotations(schema, out);
      ArrayNode anyOf = out.putArray("anyOf");
      for (String type : types) {
        ObjectNode single = ((ObjectNode) schema).deepCopy();
        single.put("type", type);
        single.remove(List.of("description", "title", "nullable"));
        anyOf.add(convert(single, depth + 1));
      }
      if (nullable) {
        out.put("nullable", true);
      }
      return out;
    }
    String type = types.isEmpty() ? inferType(schema) : TYPES.get(types.get(0));
    if (type == null) {
      type = "STRING";
      notes.append("Any JSON value.");
    }
    out.put("type", type);
    copyAnnotations(schema, out);
    if (nullable) {
      out.put("nullable", true);
    }
    enumValues(schema, out, notes);
    format(schema, type, out, notes);
    bounds(schema, type, out);
    for (String count : COPIED_COUNTS) {
      if (schema.path(count).canConvertToLong()) {
        out.put(count, schema.path(count).asLong());
      }
    }
    if ("STRING".equals(type) && schema.path("pattern").isTextual()) {
      out.put("pattern", schema.path("pattern").asText());
    }
    if (schema.has("default") && !schema.path("default").isNull()) {
      out.set("default", schema.path("default").deepCopy());
    }
    switch (type) {
      case "OBJECT" -> object(schema, out, depth);
      case "ARRAY" -> out.set("items", items(schema, depth));
      default -> { }
    }
    if (!notes.isEmpty()) {
      String description = out.path("description").asText("");
      out.put("description", description.isEmpty() ? notes.toString() : description + " " + notes);
    }
    return out;
  }

  /** A local {@code $ref} replaced by what it names; any other schema as it is. */
  private JsonNode resolve(JsonNode schema, int depth) {
    JsonNode ref = schema.path("$ref");
    if (!ref.isTextual()) {
      return schema;
    }
    String pointer = ref.asText();
    if (!pointer.startsWith("#")) {
      return NODES.objectNode().put("type", "object"); // a remote schema cannot be fetched
    }
    JsonNode target = root.at(pointer.substring(1));
    return target.isObject() && depth <= MAX_DEPTH ? target : NODES.objectNode().put("type", "object");
  }

  private static ObjectNode mergeAllOf(JsonNode schema) {
    ObjectNode merged = ((ObjectNode) schema).deepCopy();
    merged.remove("allOf");
    ObjectNode properties = NODES.objectNode();
    ArrayNode required = NODES.arrayNode();
    schema.path("properties").properties().forEach(e -> properties.set(e.getKey(), e.getValue()));
    schema.path("required").forEach(required::add);
    for (JsonNode part : schema.path("allOf")) {
      part.properties().forEach(e -> {
        switch (e.getKey()) {
          case "properties" -> e.getValue().properties().forEach(p -> properties.set(p.getKey(), p.getValue()));
          case "required" -> e.getValue().forEach(required::add);
          default -> {
            if (!merged.has(e.getKey())) {
              merged.set(e.getKey(), e.getValue());
            }
          }
        }
      });
    }
    if (!properties.isEmpty()) {
      merged.set("properties", properties);
      if (!merged.has("type")) {
        merged.put("type", "object");
      }
    }
    if (!required.isEmpty()) {
      merged.set("required", required);
    }
    return merged;
  }

  private static List<String> types(JsonNode schema) {
    List<String> types = new ArrayList<>();
    JsonNode type = schema.path("type");
    if (type.isTextual()) {
      types.add(type.asText().toLowerCase(Locale.ROOT));
    }
    for (JsonNode each : type.isArray() ? type : NODES.arrayNode()) {
      if (each.isTextual() && !types.contains(each.asText().toLowerCase(Locale.ROOT))) {
        types.add(each.asText().toLowerCase(Locale.ROOT));
      }
    }
    types.removeIf(t -> !t.equals("null") && !TYPES.containsKey(t));
    return types;
  }

  /** The type a schema without {@code type} implies by its keywords, or null when it admits anything. */
  private static String inferType(JsonNode schema) {
    if (schema.has("properties")) {
      return "OBJECT";
    }
    if (schema.has("items") || schema.has("prefixItems")) {
      return "ARRAY";
    }
    JsonNode constant = schema.path("const");
    JsonNode values = schema.path("enum");
    if (constant.isTextual() || (values.isArray() && !values.isEmpty() && values.path(0).isTextual())) {
      return "STRING";
    }
    if (constant.isNumber() || values.path(0).isNumber()) {
      return constant.isIntegralNumber() || values.path(0).isIntegralNumber() ? "INTEGER" : "NUMBER";
    }
    if (constant.isBoolean()) {
      return "BOOLEAN";
    }
    return null;
  }

  private static void copyAnnotations(JsonNode schema, ObjectNode out) {
    if (schema.path("title").isTextual()) {
      out.put("title", schema.path("title").asText());
    }
    if (schema.path("description").isTextual()) {
      out.put("description", schema.path("description").asText());
    }
  }

  private static void enumValues(JsonNode schema, ObjectNode out, StringBuilder notes) {
    List<JsonNode> values = new ArrayList<>();
    if (schema.has("const")) {
      values.add(schema.path("const"));
    }
    schema.path("enum").forEach(values::add);
    if (values.isEmpty()) {
      return;
    }
    boolean allStrings = values.stream().allMatch(JsonNode::isTextual);
    if (allStrings && "STRING".equals(out.path("type").asText())) {
      ArrayNode kept = out.putArray("enum");
      values.forEach(v -> kept.add(v.asText()));
    } else {
      StringBuilder list = new StringBuilder();
      values.forEach(v -> list.append(list.isEmpty() ? "" : ", ").append(v.toString()));
      notes.append(values.size() == 1 ? "Must be " : "One of: ").append(list).append('.');
    }
  }

  private static void format(JsonNode schema, String type, ObjectNode out, StringBuilder notes) {
    JsonNode format = schema.path("format");
    if (!format.isTextual()) {
      return;
    }
    if (FORMATS.getOrDefault(type, Set.of()).contains(format.asText())) {
      out.put("format", format.asText());
    } else {
      notes.append(notes.isEmpty() ? "" : " ").append("Format: ").append(format.asText()).append('.');
    }
  }

  /** {@code minimum}/{@code maximum}, with the exclusive forms of drafts 4 (booleans) and 6+ (numbers). */
  private static void bounds(JsonNode schema, String type, ObjectNode out) {
    if (!"INTEGER".equals(type) && !"NUMBER".equals(type)) {
      return;
    }
    boolean integer = "INTEGER".equals(type);
    Double minimum = number(schema.path("minimum"));
    Double maximum = number(schema.path("maximum"));
    JsonNode exclusiveMin = schema.path("exclusiveMinimum");
    JsonNode exclusiveMax = schema.path("exclusiveMaximum");
    if (exclusiveMin.isNumber()) {
      double bound = integer ? Math.floor(exclusiveMin.asDouble()) + 1 : exclusiveMin.asDouble();
      minimum = minimum == null ? bound : Math.max(minimum, bound);
    } else if (exclusiveMin.asBoolean(false) && minimum != null && integer) {
      minimum = Math.floor(minimum) + 1;
    }
    if (exclusiveMax.isNumber()) {
      double bound = integer ? Math.ceil(exclusiveMax.asDouble()) - 1 : exclusiveMax.asDouble();
      maximum = maximum == null ? bound : Math.min(maximum, bound);
    } else if (exclusiveMax.asBoolean(false) && maximum != null && integer) {
      maximum = Math.ceil(maximum) - 1;
    }
    putNumber(out, "minimum", minimum);
    putNumber(out, "maximum", maximum);
  }

  private static Double number(JsonNode node) {
    return node.isNumber() ? node.asDouble() : null;
  }

  private static void putNumber(ObjectNode out, String field, Double value) {
    if (value == null) {
      return;
    }
    if (value == Math.rint(value) && Math.abs(value) <= MAX_EXACT_INTEGER) {
      out.put(field, value.longValue());
    } else {
      out.put(field, value);
    }
  }

  private void object(JsonNode schema, ObjectNode out, int depth) {
    JsonNode properties = schema.path("properties");
    if (!properties.isObject() || properties.isEmpty()) {
      return; // a free-form object: the subset has no way to say "any keys"
    }
    ObjectNode converted = out.putObject("properties");
    Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      converted.set(field.getKey(), convert(field.getValue(), depth + 1));
    }
    ArrayNode required = NODES.arrayNode();
    for (JsonNode name : schema.path("required")) {
      if (name.isTextual() && converted.has(name.asText())) {
        required.add(name.asText());
      }
    }
    if (!required.isEmpty()) {
      out.set("required", required);
    }
  }

  private ObjectNode items(JsonNode schema, int depth) {
    JsonNode items = schema.path("items");
    if (items.isObject()) {
      return convert(items, depth + 1);
    }
    JsonNode prefix = schema.path("prefixItems").isArray() ? schema.path("prefixItems") : items;
    if (prefix.isArray() && !prefix.isEmpty()) {
      if (prefix.size() == 1) {
        return convert(prefix.path(0), depth + 1);
      }
      ObjectNode anyOf = NODES.objectNode();
      ArrayNode branches = anyOf.putArray("anyOf");
      prefix.forEach(branch -> branches.add(convert(branch, depth + 1)));
      return anyOf;
    }
    return NODES.objectNode().put("type", "STRING"); // Gemini wants items; JSON Schema's default is "anything"
  }
}
