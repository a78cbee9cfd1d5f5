package dev.turnpike.app.fakes;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Bedrock's Converse API refuses, for the fake: the request shapes of the AWS service model
 * ({@code botocore/data/bedrock-runtime/2023-09-30/service-2.json}: every structure's members, unions with exactly
 * one member, enums, name and id patterns) and the conversation rules Bedrock enforces on top (a conversation starts
 * with the user and alternates; no blank text; a toolResult answers a toolUse of the assistant turn before it, and
 * every toolUse is answered; tool blocks need a toolConfig; images and documents only from the user, a document
 * with a text block beside it; {@code status}, {@code cachePoint}, forced tool choice and Anthropic fields only for
 * the models that take them). Each check returns Bedrock's kind of ValidationException message, or null.
 *
 * <p>Written independently of the gateway's translator: a translation that merely looks right must fail here.
 */
final class ConverseRules {
  private static final Set<String> CONVERSE_FIELDS = Set.of("messages", "system", "inferenceConfig", "toolConfig",
      "additionalModelRequestFields", "outputConfig", "guardrailConfig", "promptVariables",
      "additionalModelResponseFieldPaths", "requestMetadata", "performanceConfig", "serviceTier");
  private static final Set<String> COUNT_FIELDS = Set.of("messages", "system", "toolConfig",
      "additionalModelRequestFields");
  private static final Set<String> CONTENT_MEMBERS = Set.of("text", "image", "document", "video", "audio", "toolUse",
      "toolResult", "guardContent", "cachePoint", "reasoningContent", "citationsContent", "searchResult",
      "toolAddition", "toolRemoval");
  private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");
  private static final Set<String> DOCUMENT_FORMATS = Set.of("pdf", "csv", "doc", "docx", "xls", "xlsx", "html",
      "txt", "md");
  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern TOOL_USE_ID = Pattern.compile("[a-zA-Z0-9_.:-]{1,64}");
  /** Alphanumerics, single whitespace, hyphens, parentheses and square brackets. */
  private static final Pattern DOCUMENT_NAME = Pattern.compile("(?!.*\\s\\s)[A-Za-z0-9\\s\\-()\\[\\]]{1,200}");
  private static final Set<String> EFFORTS = Set.of("low", "medium", "high", "xhigh", "max");

  private final String model;

  /** @param modelId the model the request names in its path, which decides the model-dependent checks */
  ConverseRules(String modelId) {
    this.model = base(modelId);
  }

  /** A Converse or ConverseStream body. */
  String converseProblem(JsonObject body) {
    return problem(body, CONVERSE_FIELDS, true);
  }

  /** A CountTokens body: {@code {"input": {"converse": {...}}}}. */
  String countProblem(JsonObject body) {
    if (!body.fieldNames().equals(Set.of("input")) || !(body.getValue("input") instanceof JsonObject input)
        || input.size() != 1) {
      return "input must hold exactly one of converse, invokeModel";
    }
    if (!(input.getValue("converse") instanceof JsonObject converse)) {
      return "input.converse must be an object";
    }
    return problem(converse, COUNT_FIELDS, false);
  }

  private String problem(JsonObject body, Set<String> fields, boolean messagesRequired) {
    for (String field : body.fieldNames()) {
      if (!fields.contains(field)) {
        return "Malformed input request: extraneous key [" + field + "] is not permitted";
      }
    }
    for (String refused : List.of("guardrailConfig", "promptVariables")) {
      if (body.containsKey(refused)) {
        return refused + " is not supported by this fake";
      }
    }
    try {
      String problem = system(body.getValue("system"));
      if (problem == null) {
        problem = toolConfig(body.getValue("toolConfig"));
      }
      if (problem == null) {
        problem = messages(body.getValue("messages"), body.containsKey("toolConfig"), messagesRequired);
      }
      if (problem == null) {
        problem = inferenceConfig(body.getValue("inferenceConfig"));
      }
      if (problem == null) {
        problem = outputConfig(body.getValue("outputConfig"));
      }
      if (problem == null) {
        problem = additionalFields(body.getValue("additionalModelRequestFields"));
      }
      return problem;
    } catch (ClassCastException | DecodeException e) {
      return "Malformed input request: a field has the wrong type";
    }
  }

  // ---- messages ----

  private String messages(Object value, boolean hasToolConfig, boolean required) {
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof JsonArray messages) || messages.isEmpty()) {
      return "A conversation must start with a user message. Try again with a conversation that starts with a "
          + "user message.";
    }
    Set<String> openToolUses = Set.of();
    String previousRole = null;
    for (int i = 0; i < messages.size(); i++) {
      String at = "messages." + i;
      if (!(messages.getValue(i) instanceof JsonObject message) || !Set.of("role", "content").containsAll(
          message.fieldNames())) {
        return at + " must be an object with role and content only";
      }
      String role = message.getString("role");
      if (!"user".equals(role) && !"assistant".equals(role)) {
        return at + ".role must be user or assistant (the system prompt goes in system)";
      }
      if (i == 0 && !role.equals("user")) {
        return "A conversation must start with a user message. Try again with a conversation that starts with a "
            + "user message.";
      }
      if (role.equals(previousRole)) {
        return "A conversation must alternate between user and assistant roles. Make sure the conversation "
            + "alternates between user and assistant roles and try again.";
      }
      previousRole = role;
      if (!(message.getValue("content") instanceof JsonArray content) || content.isEmpty()) {
        return at + ".content must hold at least one block";
      }
      Set<String> toolUses = new HashSet<>();
      Set<String> results = new HashSet<>();
      boolean hasText = false;
      boolean hasDocument = false;
      boolean previousIsBlock = false;
      for (int j = 0; j < content.size(); j++) {
        String blockAt = at + ".content." + j;
        if (!(content.getValue(j) instanceof JsonObject block)) {
          return blockAt + " must be an object";
        }
        String member = member(block, CONTENT_MEMBERS);
        if (member == null) {
          return blockAt + " must set exactly one of " + CONTENT_MEMBERS;
        }
        String problem = switch (member) {
          case "text" -> text(block.getValue("text"), blockAt);
          case "image" -> role.equals("user") ? image(block.getValue("image"), blockAt + ".image")
              : blockAt + ": images are only allowed in user messages";
          case "document" -> role.equals("user") ? document(block.getValue("document"), blockAt + ".document")
              : blockAt + ": documents are only allowed in user messages";
          case "toolUse" -> role.equals("assistant") ? toolUse(block.getJsonObject("toolUse"), blockAt, toolUses)
              : blockAt + ": toolUse is only allowed in assistant messages";
          case "toolResult" -> role.equals("user")
              ? toolResult(block.getJsonObject("toolResult"), blockAt, openToolUses, results)
              : blockAt + ": toolResult is only allowed in user messages";
          case "cachePoint" -> cachePoint(block.getValue("cachePoint"), blockAt, previousIsBlock);
          case "reasoningContent" -> role.equals("assistant") ? reasoning(block.getValue("reasoningContent"), blockAt)
              : blockAt + ": reasoningContent is only allowed in assistant messages";
          default -> blockAt + "." + member + " is not supported by this fake";
        };
        if (problem != null) {
          return problem;
        }
        hasText |= member.equals("text");
        hasDocument |= member.equals("document");
        previousIsBlock = !member.equals("cachePoint");
      }
      if (hasDocument && !hasText) {
        return at + ": If you include a document, you must also include a text block in the same message";
      }
      if (!openToolUses.isEmpty() && !results.containsAll(openToolUses)) {
        return "Expected toolResult blocks at " + at + ".content for the following Ids: " + difference(openToolUses,
            results);
      }
      if ((!toolUses.isEmpty() || !results.isEmpty()) && !hasToolConfig) {
        return "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
      }
      openToolUses = toolUses;
    }
    return null;
  }

  private static String text(Object value, String at) {
    if (!(value instanceof String text)) {
      return at + ".text must be a string";
    }
    return text.isBlank() ? "The text field in the ContentBlock object at " + at + " is blank. Add text to the "
        + "text field, and try again." : null;
  }

  private static String image(Object value, String at) {
    if (!(value instanceof JsonObject image) || !Set.of("format", "source").equals(image.fieldNames())) {
      return at + " must have format and source only";
    }
    if (!IMAGE_FORMATS.contains(image.getString("format"))) {
      return at + ".format must be one of " + IMAGE_FORMATS;
    }
    return bytesSource(image.getValue("source"), at + ".source", Set.of("bytes"));
  }

  private static String document(Object value, String at) {
    if (!(value instanceof JsonObject document) || !Set.of("format", "name", "source", "context", "citations")
        .containsAll(document.fieldNames())) {
      return at + " has an unknown field";
    }
    if (!DOCUMENT_FORMATS.contains(document.getString("format"))) {
      return at + ".format must be one of " + DOCUMENT_FORMATS;
    }
    if (!(document.getValue("name") instanceof String name) || !DOCUMENT_NAME.matcher(name).matches()) {
      return at + ".name may hold only alphanumerics, single spaces, hyphens, parentheses and square brackets";
    }
    return bytesSource(document.getValue("source"), at + ".source", Set.of("bytes", "text", "content"));
  }

  private static String bytesSource(Object value, String at, Set<String> members) {
    if (!(value instanceof JsonObject source) || member(source, members) == null) {
      return at + " must set exactly one of " + members;
    }
    if (source.containsKey("bytes")) {
      try {
        if (Base64.getDecoder().decode(source.getString("bytes")).length == 0) {
          return at + ".bytes must not be empty";
        }
      } catch (IllegalArgumentException | ClassCastException e) {
        return at + ".bytes must be base64";
      }
    }
    return null;
  }

  private static String toolUse(JsonObject toolUse, String at, Set<String> toolUses) {
    if (toolUse == null || !Set.of("toolUseId", "name", "input").equals(toolUse.fieldNames())) {
      return at + ".toolUse must have toolUseId, name and input only";
    }
    String id = toolUse.getString("toolUseId");
    if (!TOOL_USE_ID.matcher(id).matches() || !TOOL_NAME.matcher(toolUse.getString("name")).matches()) {
      return at + ".toolUse has an invalid toolUseId or name";
    }
    if (!(toolUse.getValue("input") instanceof JsonObject)) {
      return at + ".toolUse.input must be an object";
    }
    return toolUses.add(id) ? null : at + ": toolUse ids must be unique";
  }

  private String toolResult(JsonObject result, String at, Set<String> openToolUses, Set<String> results) {
    if (result == null || !Set.of("toolUseId", "content", "status").containsAll(result.fieldNames())) {
      return at + ".toolResult has an unknown field";
    }
    String id = result.getString("toolUseId");
    if (id == null || !openToolUses.contains(id)) {
      return "The toolResult block at " + at + " has no matching toolUse block in the previous assistant "
          + "message (toolUseId " + id + ")";
    }
    if (!results.add(id)) {
      return at + ": a second toolResult for " + id;
    }
    if (result.containsKey("status")) {
      if (!takesStatus()) {
        return "This model doesn't support the toolResult.status field. Remove toolResult.status and try again.";
      }
      if (!Set.of("success", "error").contains(result.getString("status"))) {
        return at + ".toolResult.status must be success or error";
      }
    }
    if (!(result.getValue("content") instanceof JsonArray content)) {
      return at + ".toolResult.content must be a list";
    }
    for (int i = 0; i < content.size(); i++) {
      String itemAt = at + ".toolResult.content." + i;
      JsonObject item = content.getJsonObject(i);
      String member = member(item, Set.of("json", "text", "image", "document", "video", "searchResult"));
      String problem = member == null ? itemAt + " must set exactly one block" : switch (member) {
        case "text" -> text(item.getValue("text"), itemAt);
        case "json" -> null;
        case "image" -> image(item.getValue("image"), itemAt + ".image");
        case "document" -> document(item.getValue("document"), itemAt + ".document");
        default -> itemAt + "." + member + " is not supported by this fake";
      };
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private String cachePoint(Object value, String at, boolean followsABlock) {
    if (!takesCachePoints()) {
      return "This model doesn't support prompt caching (" + at + ".cachePoint)";
    }
    if (!(value instanceof JsonObject point) || !"default".equals(point.getValue("type"))
        || !Set.of("type", "ttl").containsAll(point.fieldNames())
        || point.containsKey("ttl") && !Set.of("5m", "1h").contains(point.getValue("ttl"))) {
      return at + ".cachePoint must be {\"type\":\"default\"} with an optional ttl of 5m or 1h";
    }
    return followsABlock ? null : at + ": a cachePoint must follow a content block";
  }

  private static String reasoning(Object value, String at) {
    if (!(value instanceof JsonObject reasoning) || member(reasoning, Set.of("reasoningText", "redactedContent"))
        == null) {
      return at + ".reasoningContent must set exactly one of reasoningText, redactedContent";
    }
    if (reasoning.getValue("reasoningText") instanceof JsonObject text
        && (!Set.of("text", "signature").containsAll(text.fieldNames())
            || !(text.getValue("text") instanceof String))) {
      return at + ".reasoningContent.reasoningText must have text and an optional signature";
    }
    return null;
  }

  // ---- system, tools, parameters ----

  private String system(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray system)) {
      return "system must be a list";
    }
    boolean previousIsBlock = false;
    for (int i = 0; i < system.size(); i++) {
      JsonObject block = system.getJsonObject(i);
      String member = member(block, Set.of("text", "guardContent", "cachePoint"));
      String problem = member == null ? "system." + i + " must set exactly one of text, guardContent, cachePoint"
          : switch (member) {
            case "text" -> text(block.getValue("text"), "system." + i);
            case "cachePoint" -> cachePoint(block.getValue("cachePoint"), "system." + i, previousIsBlock);
            default -> "system." + i + ".guardContent is not supported by this fake";
          };
      if (problem != null) {
        return problem;
      }
      previousIsBlock = !"cachePoint".equals(member);
    }
    return null;
  }

  private String toolConfig(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject config) || !Set.of("tools", "toolChoice").containsAll(config.fieldNames())) {
      return "toolConfig must have tools and an optional toolChoice";
    }
    if (!(config.getValue("tools") instanceof JsonArray tools) || tools.isEmpty()) {
      return "toolConfig.tools must hold at least one tool";
    }
    Set<String> names = new HashSet<>();
    boolean previousIsTool = false;
    for (int i = 0; i < tools.size(); i++) {
      String at = "toolConfig.tools." + i;
      JsonObject tool = tools.getJsonObject(i);
      String member = member(tool, Set.of("toolSpec", "cachePoint", "systemTool"));
      if ("cachePoint".equals(member)) {
        if (!model.startsWith("anthropic.")) {
          return "This model doesn't support caching tools (" + at + ".cachePoint)";
        }
        String problem = cachePoint(tool.getValue("cachePoint"), at, previousIsTool);
        if (problem != null) {
          return problem;
        }
        previousIsTool = false;
        continue;
      }
      if (!"toolSpec".equals(member)) {
        return at + " must be a toolSpec";
      }
      JsonObject spec = tool.getJsonObject("toolSpec");
      if (!Set.of("name", "description", "inputSchema", "strict").containsAll(spec.fieldNames())) {
        return at + ".toolSpec has an unknown field";
      }
      if (!(spec.getValue("name") instanceof String name) || !TOOL_NAME.matcher(name).matches()) {
        return "Value at '" + at + ".toolSpec.name' failed to satisfy constraint: Member must satisfy regular "
            + "expression pattern: [a-zA-Z0-9_-]+ and have length at most 64";
      }
      if (!names.add(name)) {
        return "The toolConfig field has a duplicate tool name: " + name;
      }
      if (spec.containsKey("description") && !(spec.getValue("description") instanceof String d && !d.isEmpty())) {
        return at + ".toolSpec.description must not be empty";
      }
      if (!(spec.getValue("inputSchema") instanceof JsonObject schema) || !schema.fieldNames().equals(Set.of("json"))
          || !(schema.getValue("json") instanceof JsonObject)) {
        return at + ".toolSpec.inputSchema must be {\"json\": {...}}";
      }
      previousIsTool = true;
    }
    if (config.containsKey("toolChoice")) {
      JsonObject choice = config.getJsonObject("toolChoice");
      String member = member(choice, Set.of("auto", "any", "tool"));
      if (member == null) {
        return "toolConfig.toolChoice must set exactly one of auto, any, tool";
      }
      if (!member.equals("auto") && !takesForcedToolChoice()) {
        return "This model doesn't support the toolConfig.toolChoice." + member + " field. Remove "
            + "toolConfig.toolChoice." + member + " and try again.";
      }
      if (member.equals("tool") && !names.contains(choice.getJsonObject("tool").getString("name"))) {
        return "toolConfig.toolChoice.tool.name names no tool";
      }
    }
    return null;
  }

  private static String inferenceConfig(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject config) || !Set.of("maxTokens", "temperature", "topP", "stopSequences")
        .containsAll(config.fieldNames())) {
      return "inferenceConfig has an unknown field";
    }
    if (config.containsKey("maxTokens") && !(config.getValue("maxTokens") instanceof Integer
        || config.getValue("maxTokens") instanceof Long) || config.getLong("maxTokens", 1L) < 1) {
      return "inferenceConfig.maxTokens must be a positive integer";
    }
    for (String unit : List.of("temperature", "topP")) {
      if (config.containsKey(unit) && !(config.getValue(unit) instanceof Number n && n.doubleValue() >= 0
          && n.doubleValue() <= 1)) {
        return "inferenceConfig." + unit + " must be between 0 and 1";
      }
    }
    if (config.containsKey("stopSequences") && !(config.getValue("stopSequences") instanceof JsonArray stops
        && stops.stream().allMatch(s -> s instanceof String text && !text.isEmpty()))) {
      return "inferenceConfig.stopSequences must be non-empty strings";
    }
    return null;
  }

  private String outputConfig(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject config) || !Set.of("effort", "textFormat").containsAll(config.fieldNames())) {
      return "outputConfig has an unknown field";
    }
    if (config.containsKey("effort") && (!model.startsWith("anthropic.")
        || !EFFORTS.contains(config.getValue("effort")))) {
      return "This model doesn't support the outputConfig.effort field";
    }
    if (config.getValue("textFormat") instanceof JsonObject format) {
      JsonObject schema = format.getJsonObject("structure", new JsonObject()).getJsonObject("jsonSchema");
      if (!"json_schema".equals(format.getString("type")) || schema == null
          || !(schema.getValue("schema") instanceof String text)) {
        return "outputConfig.textFormat must be a json_schema whose schema is a JSON string";
      }
      new JsonObject(text); // a schema that is not JSON fails as a DecodeException
    }
    return null;
  }

  private String additionalFields(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject fields)) {
      return "additionalModelRequestFields must be an object";
    }
    Set<String> allowed = model.startsWith("anthropic.") ? Set.of("thinking", "top_k", "anthropic_beta") : Set.of();
    for (String field : fields.fieldNames()) {
      if (!allowed.contains(field)) {
        return "The model returned the following errors: extraneous key [" + field + "] is not permitted";
      }
    }
    Object betas = fields.getValue("anthropic_beta");
    if (betas != null && !(betas instanceof JsonArray list && list.stream().allMatch(b -> b instanceof String))) {
      return "The model returned the following errors: #/anthropic_beta: expected type: JSONArray of strings";
    }
    return null;
  }

  // ---- models ----

  private boolean takesStatus() {
    return model.startsWith("anthropic.") || model.startsWith("amazon.nova");
  }

  private boolean takesCachePoints() {
    return model.startsWith("anthropic.") || model.startsWith("amazon.nova");
  }

  private boolean takesForcedToolChoice() {
    return model.startsWith("anthropic.") || model.startsWith("amazon.nova");
  }

  /** The vendor's id: without a cross-region prefix. */
  private static String base(String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    return id.matches("^(us|eu|apac|us-gov|global|jp|au|ca)\\..+") ? id.substring(id.indexOf('.') + 1) : id;
  }

  /** The one member a union sets, or null when it sets none, several, or an unknown one. */
  private static String member(JsonObject union, Set<String> members) {
    if (union == null || union.size() != 1) {
      return null;
    }
    String member = union.fieldNames().iterator().next();
    return members.contains(member) ? member : null;
  }

  private static Set<String> difference(Set<String> expected, Set<String> got) {
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(got);
    return missing;
  }
}
