package dev.turnpike.app.fakes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What the Gemini API refuses, for the fakes to refuse it too, with Google's words where they are known. Every
 * field is a protobuf field, so an unknown one anywhere fails the request ("Invalid JSON payload received. Unknown
 * name ..."): the messages below list the fields of {@code google/ai/generativelanguage/v1beta/content.proto} and
 * {@code generative_service.proto} (Vertex AI: {@code google/cloud/aiplatform/v1/}) in their JSON names. Then what
 * the service checks: roles, non-empty parts with one datum each, function names, the {@code Schema} of
 * parameters, a call turn answered by exactly its responses and nothing else, Gemini 3's thought signatures
 * on the calls of the current turn, and the limits of {@code generationConfig}.
 */
final class GeminiRequestRules {
  /** Where the request goes; Vertex has no call ids and a flat count request. */
  enum Api { AI_STUDIO, VERTEX }

  static final String SKIP_SIGNATURE = "skip_thought_signature_validator";
  static final int MAX_OUTPUT_TOKENS = 65536;
  private static final Pattern FUNCTION_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$");
  private static final Pattern VERTEX_FUNCTION_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$");
  private static final Set<String> TYPES = Set.of("TYPE_UNSPECIFIED", "STRING", "NUMBER", "INTEGER", "BOOLEAN",
      "ARRAY", "OBJECT", "NULL");
  private static final Set<String> PART_DATA = Set.of("text", "inlineData", "functionCall", "functionResponse",
      "fileData", "executableCode", "codeExecutionResult");

  /** Field name to the message (or scalar kind: string, int, number, bool, struct, value) it holds. */
  private static final Map<String, Map<String, String>> MESSAGES = Map.ofEntries(
      Map.entry("GenerateContentRequest", Map.of("model", "string", "contents", "[Content]",
          "systemInstruction", "Content", "tools", "[Tool]", "toolConfig", "ToolConfig",
          "safetySettings", "[SafetySetting]", "generationConfig", "GenerationConfig", "cachedContent", "string")),
      Map.entry("CountTokensRequest", Map.of("model", "string", "contents", "[Content]",
          "generateContentRequest", "GenerateContentRequest")),
      Map.entry("VertexCountTokensRequest", Map.of("model", "string", "instances", "[value]",
          "contents", "[Content]", "systemInstruction", "Content", "tools", "[Tool]",
          "generationConfig", "GenerationConfig")),
      Map.entry("Content", Map.of("role", "string", "parts", "[Part]")),
      Map.entry("Part", Map.ofEntries(Map.entry("text", "string"), Map.entry("inlineData", "Blob"),
          Map.entry("functionCall", "FunctionCall"), Map.entry("functionResponse", "FunctionResponse"),
          Map.entry("fileData", "FileData"), Map.entry("executableCode", "struct"),
          Map.entry("codeExecutionResult", "struct"), Map.entry("videoMetadata", "struct"),
          Map.entry("thought", "bool"), Map.entry("thoughtSignature", "string"),
          Map.entry("partMetadata", "struct"))),
      Map.entry("Blob", Map.of("mimeType", "string", "data", "string")),
      Map.entry("FileData", Map.of("mimeType", "string", "fileUri", "string")),
      Map.entry("FunctionCall", Map.of("id", "string", "name", "string", "args", "struct")),
      Map.entry("VertexFunctionCall", Map.of("name", "string", "args", "struct")),
      Map.entry("FunctionResponse", Map.of("id", "string", "name", "string", "response", "struct",
          "parts", "[value]", "willContinue", "bool", "scheduling", "string")),
      Map.entry("VertexFunctionResponse", Map.of("name", "string", "response", "struct", "parts", "[value]")),
      Map.entry("Tool", Map.of("functionDeclarations", "[FunctionDeclaration]", "googleSearchRetrieval", "struct",
          "codeExecution", "struct", "googleSearch", "struct", "urlContext", "struct")),
      Map.entry("FunctionDeclaration", Map.of("name", "string", "description", "string", "parameters", "Schema",
          "parametersJsonSchema", "value", "response", "Schema", "responseJsonSchema", "value",
          "behavior", "string")),
      Map.entry("Schema", Map.ofEntries(Map.entry("type", "string"), Map.entry("format", "string"),
          Map.entry("title", "string"), Map.entry("description", "string"), Map.entry("nullable", "bool"),
          Map.entry("enum", "[string]"), Map.entry("items", "Schema"), Map.entry("maxItems", "int"),
          Map.entry("minItems", "int"), Map.entry("properties", "{Schema}"), Map.entry("required", "[string]"),
          Map.entry("minProperties", "int"), Map.entry("maxProperties", "int"), Map.entry("minimum", "number"),
          Map.entry("maximum", "number"), Map.entry("minLength", "int"), Map.entry("maxLength", "int"),
          Map.entry("pattern", "string"), Map.entry("example", "value"), Map.entry("anyOf", "[Schema]"),
          Map.entry("propertyOrdering", "[string]"), Map.entry("default", "value"))),
      Map.entry("ToolConfig", Map.of("functionCallingConfig", "FunctionCallingConfig", "retrievalConfig", "struct")),
      Map.entry("FunctionCallingConfig", Map.of("mode", "string", "allowedFunctionNames", "[string]")),
      Map.entry("SafetySetting", Map.of("category", "string", "threshold", "string")),
      Map.entry("GenerationConfig", Map.ofEntries(Map.entry("candidateCount", "int"),
          Map.entry("stopSequences", "[string]"), Map.entry("maxOutputTokens", "int"),
          Map.entry("temperature", "number"), Map.entry("topP", "number"), Map.entry("topK", "int"),
          Map.entry("seed", "int"), Map.entry("responseMimeType", "string"), Map.entry("responseSchema", "Schema"),
          Map.entry("responseJsonSchema", "value"), Map.entry("presencePenalty", "number"),
          Map.entry("frequencyPenalty", "number"), Map.entry("responseLogprobs", "bool"),
          Map.entry("logprobs", "int"), Map.entry("responseModalities", "[string]"),
          Map.entry("thinkingConfig", "ThinkingConfig"), Map.entry("mediaResolution", "string"))),
      Map.entry("ThinkingConfig", Map.of("includeThoughts", "bool", "thinkingBudget", "int",
          "thinkingLevel", "string")));

  private GeminiRequestRules() {}

  /**
   * The first thing Gemini would refuse in a {@code generateContent} body, or null.
   *
   * @param knownSignature whether a thought signature is one this upstream issued
   */
  static String problemWithGenerate(JsonObject body, Api api, String model, Predicate<String> knownSignature) {
    String unknown = fields(body, "GenerateContentRequest", "", api);
    if (unknown != null) {
      return unknown;
    }
    return semantics(body, api, model, knownSignature);
  }

  /** The first thing Gemini would refuse in a {@code countTokens} body, or null. */
  static String problemWithCount(JsonObject body, Api api, String model) {
    String unknown = fields(body, api == Api.VERTEX ? "VertexCountTokensRequest" : "CountTokensRequest", "", api);
    if (unknown != null) {
      return unknown;
    }
    JsonObject request = body;
    if (api == Api.AI_STUDIO) {
      request = body.getJsonObject("generateContentRequest");
      if (request == null) {
        return body.containsKey("contents") ? null : "contents: at least one content is required";
      }
      if (!("models/" + model).equals(request.getString("model"))) {
        return "generate_content_request.model: must be models/" + model + ", not " + request.getString("model");
      }
    }
    return semantics(request, api, model, signature -> true);
  }

  private static String semantics(JsonObject body, Api api, String model, Predicate<String> knownSignature) {
    JsonArray contents = body.getJsonArray("contents", new JsonArray());
    if (contents.isEmpty()) {
      return "* GenerateContentRequest.contents: contents is not specified";
    }
    String problem = contents(contents, api);
    if (problem == null) {
      problem = signatures(contents, model, knownSignature);
    }
    if (problem == null) {
      problem = tools(body.getJsonArray("tools", new JsonArray()), api);
    }
    if (problem == null) {
      problem = generationConfig(body.getJsonObject("generationConfig", new JsonObject()));
    }
    JsonObject system = body.getJsonObject("systemInstruction");
    if (problem == null && system != null) {
      problem = parts(system.getJsonArray("parts", new JsonArray()), "system_instruction");
    }
    return problem;
  }

  // ---- unknown fields and kinds ----

  private static String fields(Object value, String message, String path, Api api) {
    if (message.startsWith("[")) {
      if (!(value instanceof JsonArray array)) {
        return "Invalid value at '" + path + "': expected a list";
      }
      String element = message.substring(1, message.length() - 1);
      for (int i = 0; i < array.size(); i++) {
        String problem = fields(array.getValue(i), element, path + "[" + i + "]", api);
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }
    if (message.startsWith("{")) {
      if (!(value instanceof JsonObject map)) {
        return "Invalid value at '" + path + "': expected a map";
      }
      String element = message.substring(1, message.length() - 1);
      for (String key : map.fieldNames()) {
        String problem = fields(map.getValue(key), element, path + "[" + key + "]", api);
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }
    switch (message) {
      case "string" -> {
        return value instanceof String ? null : invalid(path, "TYPE_STRING", value);
      }
      case "int" -> {
        boolean ok = (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()))
            || (value instanceof String s && s.matches("-?\\d+"));
        return ok ? null : invalid(path, "TYPE_INT64", value);
      }
      case "number" -> {
        return value instanceof Number ? null : invalid(path, "TYPE_DOUBLE", value);
      }
      case "bool" -> {
        return value instanceof Boolean ? null : invalid(path, "TYPE_BOOL", value);
      }
      case "struct" -> {
        return value instanceof JsonObject ? null : "Invalid value at '" + path + "' (type.googleapis.com/"
            + "google.protobuf.Struct), " + value;
      }
      case "value" -> {
        return null;
      }
      default -> { }
    }
    if (!(value instanceof JsonObject object)) {
      return "Invalid value at '" + path + "': expected a " + message;
    }
    String kind = api == Api.VERTEX && (message.equals("FunctionCall") || message.equals("FunctionResponse"))
        ? "Vertex" + message : message;
    Map<String, String> known = MESSAGES.get(kind);
    for (String key : object.fieldNames()) {
      if (!known.containsKey(key)) {
        return "Invalid JSON payload received. Unknown name \"" + key + "\" at '" + path + "': Cannot find field.";
      }
      String problem = fields(object.getValue(key), known.get(key), path.isEmpty() ? key : path + "." + key, api);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String invalid(String path, String kind, Object value) {
    return "Invalid value at '" + path + "' (" + kind + "), " + value;
  }

  // ---- contents ----

  private static String contents(JsonArray contents, Api api) {
    List<JsonObject> pendingCalls = List.of();
    boolean previousUser = false;
    for (int i = 0; i < contents.size(); i++) {
      JsonObject content = contents.getJsonObject(i);
      String role = content.getString("role", "user");
      if (!role.equals("user") && !role.equals("model")) {
        return "Please use a valid role: user, model.";
      }
      JsonArray parts = content.getJsonArray("parts", new JsonArray());
      String problem = parts(parts, "contents[" + i + "]");
      if (problem != null) {
        return problem;
      }
      List<JsonObject> calls = new ArrayList<>();
      List<JsonObject> responses = new ArrayList<>();
      int others = 0;
      for (int p = 0; p < parts.size(); p++) {
        JsonObject part = parts.getJsonObject(p);
        if (part.containsKey("functionCall")) {
          calls.add(part.getJsonObject("functionCall"));
        } else if (part.containsKey("functionResponse")) {
          responses.add(part.getJsonObject("functionResponse"));
        } else {
          others++;
        }
      }
      if (role.equals("model") && !calls.isEmpty() && !previousUser) {
        return "Please ensure that function call turn comes immediately after a user turn or after a function "
            + "response turn.";
      }
      if (!pendingCalls.isEmpty() || !responses.isEmpty()) {
        if (!role.equals("user") || responses.size() != pendingCalls.size() || others > 0) {
          return "Please ensure that the number of function response parts is equal to the number of function "
              + "call parts of the function call turn.";
        }
        for (int r = 0; r < responses.size(); r++) {
          JsonObject call = pendingCalls.get(r);
          JsonObject response = responses.get(r);
          if (!call.getString("name", "").equals(response.getString("name"))) {
            return "* GenerateContentRequest.contents[" + i + "].parts[" + r + "].function_response.name: "
                + "function response name '" + response.getString("name") + "' does not match the function call "
                + "name '" + call.getString("name") + "' (fake upstream: Gemini pairs them by position and name)";
          }
          if (api == Api.AI_STUDIO && call.containsKey("id") && !call.getString("id").equals(response.getString("id"))) {
            return "* GenerateContentRequest.contents[" + i + "].parts[" + r + "].function_response.id: '"
                + response.getString("id") + "' does not answer the function call with id '" + call.getString("id")
                + "' (fake upstream)";
          }
          if (!(response.getValue("response") instanceof JsonObject)) {
            return "* GenerateContentRequest.contents[" + i + "].parts[" + r + "].function_response.response: "
                + "required field is missing";
          }
        }
      }
      pendingCalls = role.equals("model") ? calls : List.of();
      previousUser = role.equals("user");
    }
    return null;
  }

  private static String parts(JsonArray parts, String where) {
    if (parts.isEmpty()) {
      return "* GenerateContentRequest." + where + ".parts: contents.parts must not be empty.";
    }
    for (int p = 0; p < parts.size(); p++) {
      JsonObject part = parts.getJsonObject(p);
      List<String> data = part.fieldNames().stream().filter(PART_DATA::contains).toList();
      if (part.getValue("text") instanceof String text && text.isEmpty()) {
        data = data.stream().filter(d -> !d.equals("text")).toList(); // proto3: an empty string is unset
      }
      if (data.isEmpty()) {
        return "* GenerateContentRequest." + where + ".parts[" + p + "].data: required oneof field 'data' must have "
            + "one initialized field";
      }
      if (data.size() > 1) {
        return "Invalid value at '" + where + ".parts[" + p + "]' (oneof), oneof field 'data' is already set. Cannot "
            + "set '" + data.get(1) + "'";
      }
      JsonObject call = part.getJsonObject("functionCall");
      if (call != null && !FUNCTION_NAME.matcher(call.getString("name", "")).matches()) {
        return "* GenerateContentRequest." + where + ".parts[" + p + "].function_call.name: Invalid function name.";
      }
    }
    return null;
  }

  /**
   * Gemini 3 checks the calls of the current turn (everything after the last user content that is not only
   * function responses): the first call of each step carries a signature, which must be one it issued.
   */
  private static String signatures(JsonArray contents, String model, Predicate<String> knownSignature) {
    boolean enforced = model != null && model.toLowerCase(Locale.ROOT).matches("^gemini-([3-9]|[1-9][0-9]).*");
    int currentTurn = 0;
    for (int i = 0; i < contents.size(); i++) {
      JsonObject content = contents.getJsonObject(i);
      if ("user".equals(content.getString("role", "user")) && content.getJsonArray("parts").stream()
          .anyMatch(p -> !((JsonObject) p).containsKey("functionResponse"))) {
        currentTurn = i;
      }
    }
    for (int i = 0; i < contents.size(); i++) {
      JsonArray parts = contents.getJsonObject(i).getJsonArray("parts");
      boolean first = true;
      for (int p = 0; p < parts.size(); p++) {
        JsonObject part = parts.getJsonObject(p);
        String signature = part.getString("thoughtSignature");
        if (signature != null && !signature.equals(SKIP_SIGNATURE) && !knownSignature.test(signature)) {
          return "Corrupted thought signature.";
        }
        if (!part.containsKey("functionCall")) {
          continue;
        }
        if (enforced && first && i > currentTurn && signature == null) {
          return "Function call is missing a thought_signature in functionCall parts. This is required for tools to "
              + "work correctly, and missing thought_signature may lead to degraded model performance. Additional "
              + "data, function call `default_api:" + part.getJsonObject("functionCall").getString("name")
              + "` , position " + (p + 1) + ". Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures "
              + "for more details.";
        }
        first = false;
      }
    }
    return null;
  }

  // ---- tools and generation config ----

  private static String tools(JsonArray tools, Api api) {
    for (int t = 0; t < tools.size(); t++) {
      JsonArray declarations = tools.getJsonObject(t).getJsonArray("functionDeclarations", new JsonArray());
      for (int d = 0; d < declarations.size(); d++) {
        JsonObject declaration = declarations.getJsonObject(d);
        String where = "tools[" + t + "].function_declarations[" + d + "]";
        Pattern names = api == Api.VERTEX ? VERTEX_FUNCTION_NAME : FUNCTION_NAME;
        if (!names.matcher(declaration.getString("name", "")).matches()) {
          return "* GenerateContentRequest." + where + ".name: Invalid function name. Must start with a letter or an "
              + "underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes "
              + "(-), with a maximum length of 64.";
        }
        JsonObject parameters = declaration.getJsonObject("parameters");
        if (parameters != null) {
          if ("OBJECT".equalsIgnoreCase(parameters.getString("type", ""))
              && parameters.getJsonObject("properties", new JsonObject()).isEmpty()) {
            return "* GenerateContentRequest." + where + ".parameters.properties: should be non-empty for OBJECT type";
          }
          String problem = schema(parameters, "GenerateContentRequest." + where + ".parameters");
          if (problem != null) {
            return problem;
          }
        }
      }
    }
    return null;
  }

  private static String schema(JsonObject schema, String where) {
    String type = schema.getString("type");
    if (type == null && !schema.containsKey("anyOf")) {
      return "* " + where + ".type: must be specified";
    }
    if (type != null && !TYPES.contains(type.toUpperCase(Locale.ROOT))) {
      return "Invalid value at '" + where + ".type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), \""
          + type + "\"";
    }
    if ("ARRAY".equalsIgnoreCase(type) && !schema.containsKey("items")) {
      return "* " + where + ".items: missing field.";
    }
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    for (Object name : schema.getJsonArray("required", new JsonArray())) {
      if (!properties.containsKey((String) name)) {
        return "* " + where + ".required: property is not defined";
      }
    }
    for (String name : properties.fieldNames()) {
      String problem = schema(properties.getJsonObject(name), where + ".properties[" + name + "]");
      if (problem != null) {
        return problem;
      }
    }
    if (schema.getJsonObject("items") != null) {
      String problem = schema(schema.getJsonObject("items"), where + ".items");
      if (problem != null) {
        return problem;
      }
    }
    JsonArray anyOf = schema.getJsonArray("anyOf", new JsonArray());
    for (int i = 0; i < anyOf.size(); i++) {
      String problem = schema(anyOf.getJsonObject(i), where + ".any_of[" + i + "]");
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String generationConfig(JsonObject config) {
    Number max = config.getNumber("maxOutputTokens");
    if (max != null && (max.longValue() < 1 || max.longValue() > MAX_OUTPUT_TOKENS)) {
      return "Unable to submit request because it has a maxOutputTokens value of " + max + " but the supported range "
          + "is from 1 (inclusive) to " + (MAX_OUTPUT_TOKENS + 1) + " (exclusive). Update the value and try again.";
    }
    if (config.getJsonArray("stopSequences", new JsonArray()).size() > 5) {
      return "* GenerateContentRequest.generation_config.stop_sequences: at most 5 stop sequences are allowed";
    }
    return null;
  }
}
