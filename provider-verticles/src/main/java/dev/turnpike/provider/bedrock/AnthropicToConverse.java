package dev.turnpike.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.provider.anthropic.AnthropicRequestParts;
import dev.turnpike.provider.openai.ToolNameMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Anthropic Messages request to a Bedrock Converse request body (the model id goes in the URL, not the body). Pure:
 * no I/O, the input is not modified. Bedrock checks a Converse body more strictly than Anthropic checks its own, so
 * the output is shaped to pass those checks rather than copied block for block:
 * <ul>
 *   <li>Turns alternate {@code user} / {@code assistant}: consecutive turns of one role are joined, and
 *   {@code role: "system"} entries inside {@code messages} (Claude Code's mid-conversation reminders) become text
 *   of the user turn they sit in. Blank text is left out (Converse refuses it) and a turn left empty is dropped.
 *   In a user turn the tool results come first, as Claude's tool use requires.</li>
 *   <li>A {@code tool_result} whose {@code tool_use_id} the assistant turn before did not use becomes text
 *   ({@code Result of tool call <id>: ...}): Converse refuses an unpaired tool result. {@code is_error} is
 *   {@code status: "error"} where the model takes a status, else the text starts with
 *   {@value #TOOL_ERROR_PREFIX}. An empty result is {@value #EMPTY_RESULT} (blank text is refused).</li>
 *   <li>Tool names go through the {@link ToolNameMapper} (Converse allows {@code [a-zA-Z0-9_-]{1,64}}, as OpenAI
 *   does); tool use ids outside Converse's {@code [a-zA-Z0-9_.:-]{1,64}} are replaced by a hash, the same for the
 *   use and its result.</li>
 *   <li>{@code cache_control} becomes a {@code cachePoint} after its block (or tool), for models with prompt caching
 *   ({@link ConverseFeatures}); elsewhere it is dropped.</li>
 *   <li>Images and documents travel as bytes: Converse takes bytes or S3 locations, so a URL or Files API source
 *   is refused rather than silently lost. A text document is sent as a {@code txt} document; document names are
 *   reduced to the characters Converse allows and made unique; a user turn with a document and no text gets one
 *   naming the documents, as Converse requires.</li>
 *   <li>Thinking: a signed {@code thinking} block and a {@code redacted_thinking} block go back as
 *   {@code reasoningContent} for models that check Anthropic's signatures ({@link ConverseFeatures#anthropicFields()});
 *   other thinking is dropped. The {@code thinking} parameter, {@code top_k} and the {@code anthropic-beta} values go
 *   in {@code additionalModelRequestFields} for Anthropic models only.</li>
 *   <li>Claude Code's {@code x-anthropic-billing-header} system block is dropped (Anthropic attribution whose value
 *   changes with every build). So are {@code metadata}, {@code context_management}, server tools and
 *   {@code disable_parallel_tool_use}, which Converse has no field for. {@code tool_choice: none} sends no tools
 *   unless the history holds tool blocks (Converse then requires the tools), in which case the model may still call
 *   one.</li>
 * </ul>
 */
public final class AnthropicToConverse {
  static final String TOOL_ERROR_PREFIX = "[tool error] ";
  static final String EMPTY_RESULT = "(no content)";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern TOOL_USE_ID = Pattern.compile("[a-zA-Z0-9_.:-]{1,64}");
  private static final Pattern DOCUMENT_NAME_CHARS = Pattern.compile("[^A-Za-z0-9\\s\\-()\\[\\]]");
  private static final int MAX_DOCUMENT_NAME = 200;
  private static final Map<String, String> IMAGE_FORMATS = Map.of("image/png", "png", "image/jpeg", "jpeg",
      "image/jpg", "jpeg", "image/gif", "gif", "image/webp", "webp");

  private AnthropicToConverse() {}

  /**
   * @param betas the client's {@code anthropic-beta} values (sent only to Anthropic models)
   * @throws IllegalArgumentException when the request holds something Converse cannot carry (an image by URL, say);
   *     the message names the field and quotes no content
   */
  public static ObjectNode translate(JsonNode request, ConverseFeatures features, ToolNameMapper names,
                                     List<String> betas) {
    if (request == null || !request.isObject()) {
      throw new IllegalArgumentException("request must be a JSON object");
    }
    Translation translation = new Translation(features, names);
    ObjectNode out = NODES.objectNode();
    ArrayNode messages = translation.messages(request.path("messages"));
    ArrayNode system = translation.system(request.path("system"));
    out.set("messages", messages);
    if (!system.isEmpty()) {
      out.set("system", system);
    }
    ObjectNode inference = inferenceConfig(request);
    if (!inference.isEmpty()) {
      out.set("inferenceConfig", inference);
    }
    ObjectNode toolConfig = translation.toolConfig(request, messages);
    if (toolConfig != null) {
      out.set("toolConfig", toolConfig);
    }
    ObjectNode outputConfig = outputConfig(request.path("output_config"), features);
    if (!outputConfig.isEmpty()) {
      out.set("outputConfig", outputConfig);
    }
    if (features.anthropicFields()) {
      ObjectNode additional = anthropicFields(request, betas);
      if (!additional.isEmpty()) {
        out.set("additionalModelRequestFields", additional);
      }
    }
    return out;
  }

  /**
   * The CountTokens body for a translated request: {@code {"input":{"converse":{...}}}} with the fields
   * ConverseTokensRequest takes (messages, system, toolConfig, additionalModelRequestFields).
   */
  public static ObjectNode countTokensBody(ObjectNode converseRequest) {
    ObjectNode converse = NODES.objectNode();
    for (String field : List.of("messages", "system", "toolConfig", "additionalModelRequestFields")) {
      if (converseRequest.has(field)) {
        converse.set(field, converseRequest.get(field));
      }
    }
    ObjectNode body = NODES.objectNode();
    body.putObject("input").set("converse", converse);
    return body;
  }

  /** One request's translation state: the document names handed out and the mapper shared with the answer. */
  private static final class Translation {
    private final ConverseFeatures features;
    private final ToolNameMapper names;
    private final Set<String> documentNames = new HashSet<>();

    Translation(ConverseFeatures features, ToolNameMapper names) {
      this.features = features;
      this.names = names;
    }

    // ---- messages ----

    ArrayNode messages(JsonNode messages) {
      List<Turn> turns = new ArrayList<>();
      int index = 0;
      for (JsonNode message : messages) {
        String path = "messages[" + index++ + "]";
        String role = "assistant".equals(message.path("role").asText()) ? "assistant" : "user";
        List<Block> blocks = blocksOf(message.path("content"), path, "system".equals(message.path("role").asText()));
        if (turns.isEmpty() || !turns.get(turns.size() - 1).role.equals(role)) {
          turns.add(new Turn(role));
        }
        turns.get(turns.size() - 1).blocks.addAll(blocks);
      }
      ArrayNode out = NODES.arrayNode();
      Set<String> openToolUses = Set.of();
      for (Turn turn : turns) {
        ArrayNode content = turn.role.equals("assistant") ? assistantContent(turn) : userContent(turn, openToolUses);
        openToolUses = turn.role.equals("assistant") ? toolUseIds(content) : Set.of();
        if (content.isEmpty()) {
          continue;
        }
        ObjectNode last = out.isEmpty() ? null : (ObjectNode) out.get(out.size() - 1);
        if (last != null && last.path("role").asText().equals(turn.role)) {
          ((ArrayNode) last.get("content")).addAll(content); // a turn between them was empty
        } else {
          out.addObject().put("role", turn.role).set("content", content);
        }
      }
      return out;
    }

    /** A mid-conversation system entry is text whatever blocks it holds. */
    private List<Block> blocksOf(JsonNode content, String path, boolean system) {
      List<Block> blocks = new ArrayList<>();
      if (content.isTextual()) {
        blocks.add(new Block(NODES.objectNode().put("type", "text").put("text", content.asText()), path + ".content"));
      }
      int index = 0;
      for (JsonNode block : content.isArray() ? content : NODES.arrayNode()) {
        String at = path + ".content[" + index++ + "]";
        if (system && !"text".equals(block.path("type").asText())) {
          continue;
        }
        blocks.add(new Block(block, at));
      }
      return blocks;
    }

    private ArrayNode assistantContent(Turn turn) {
      ArrayNode out = NODES.arrayNode();
      for (Block block : turn.blocks) {
        JsonNode b = block.node;
        switch (b.path("type").asText()) {
          case "text" -> addText(out, b.path("text").asText(""), b);
          case "tool_use" -> {
            ObjectNode toolUse = out.addObject().putObject("toolUse");
            toolUse.put("toolUseId", toolUseId(b.path("id").asText()));
            toolUse.put("name", names.toOpenAi(b.path("name").asText()));
            toolUse.set("input", b.path("input").isObject() ? b.path("input").deepCopy() : NODES.objectNode());
            cachePoint(out, b);
          }
          case "thinking" -> {
            String signature = b.path("signature").asText("");
            if (features.anthropicFields() && !signature.isEmpty()) {
              out.addObject().putObject("reasoningContent").putObject("reasoningText")
                  .put("text", b.path("thinking").asText("")).put("signature", signature);
            }
          }
          case "redacted_thinking" -> {
            if (features.anthropicFields() && !b.path("data").asText("").isEmpty()) {
              // Converse's redactedContent is a blob: base64 of the bytes of Anthropic's opaque string.
              out.addObject().putObject("reasoningContent").put("redactedContent", Base64.getEncoder()
                  .encodeToString(b.path("data").asText().getBytes(StandardCharsets.UTF_8)));
            }
          }
          default -> { } // server tool use and its results ran on Anthropic's side
        }
      }
      return out;
    }

    private ArrayNode userContent(Turn turn, Set<String> openToolUses) {
      ArrayNode results = NODES.arrayNode();
      ArrayNode rest = NODES.arrayNode();
      Set<String> answered = new HashSet<>();
      List<String> documents = new ArrayList<>();
      for (Block block : turn.blocks) {
        JsonNode b = block.node;
        switch (b.path("type").asText()) {
          case "text" -> addText(rest, b.path("text").asText(""), b);
          case "image" -> {
            rest.add(image(b.path("source"), block.path));
            cachePoint(rest, b);
          }
          case "document" -> {
            ObjectNode document = document(b, block.path);
            if (document != null) {
              rest.add(document);
              documents.add(document.path("document").path("name").asText());
              cachePoint(rest, b);
            } else {
              documentAsText(rest, b, block.path);
            }
          }
          case "tool_result" -> {
            String id = toolUseId(b.path("tool_use_id").asText());
            if (openToolUses.contains(id) && answered.add(id)) {
              results.add(toolResult(b, id, block.path));
              if (features.toolCachePoints()) {
                cachePoint(results, b);
              }
            } else {
              addText(rest, "Result of tool call " + b.path("tool_use_id").asText() + ":\n" + resultText(b), b);
            }
          }
          default -> {
            if (b.path("text").isTextual()) {
              addText(rest, b.path("text").asText(), b);
            }
          }
        }
      }
      if (!documents.isEmpty() && !hasText(rest)) {
        rest.addObject().put("text", "Attached: " + String.join(", ", documents));
      }
      results.addAll(rest);
      return results;
    }

    private ObjectNode toolResult(JsonNode block, String id, String path) {
      ObjectNode result = NODES.objectNode();
      ObjectNode toolResult = result.putObject("toolResult");
      toolResult.put("toolUseId", id);
      boolean error = block.path("is_error").asBoolean(false);
      ArrayNode content = toolResult.putArray("content");
      JsonNode anthropic = block.path("content");
      if (anthropic.isTextual()) {
        addText(content, anthropic.asText(), null);
      }
      int index = 0;
      for (JsonNode item : anthropic.isArray() ? anthropic : NODES.arrayNode()) {
        String at = path + ".content[" + index++ + "]";
        switch (item.path("type").asText()) {
          case "text" -> addText(content, item.path("text").asText(""), null);
          case "image" -> content.add(image(item.path("source"), at));
          case "document" -> {
            ObjectNode document = document(item, at);
            if (document != null) {
              content.add(document);
            } else {
              documentAsText(content, item, at);
            }
          }
          default -> addText(content, AnthropicRequestParts.withoutCacheControl(item).toString(), null);
        }
      }
      if (content.isEmpty()) {
        content.addObject().put("text", EMPTY_RESULT);
      }
      if (features.toolResultStatus()) {
        toolResult.put("status", error ? "error" : "success");
      } else if (error) {
        markError(content);
      }
      return result;
    }

    /** The result as the model would read it in text, for a result that cannot travel as a toolResult. */
    private String resultText(JsonNode block) {
      List<String> parts = new ArrayList<>();
      JsonNode content = block.path("content");
      if (content.isTextual()) {
        parts.add(content.asText());
      }
      for (JsonNode item : content.isArray() ? content : NODES.arrayNode()) {
        parts.add("text".equals(item.path("type").asText()) ? item.path("text").asText("")
            : AnthropicRequestParts.withoutCacheControl(item).toString());
      }
      String text = String.join("\n", parts);
      String result = text.isBlank() ? EMPTY_RESULT : text;
      return block.path("is_error").asBoolean(false) ? TOOL_ERROR_PREFIX + result : result;
    }

    private static void markError(ArrayNode content) {
      for (JsonNode item : content) {
        if (item.has("text")) {
          ((ObjectNode) item).put("text", TOOL_ERROR_PREFIX + item.path("text").asText());
          return;
        }
      }
      content.insert(0, NODES.objectNode().put("text", TOOL_ERROR_PREFIX.trim()));
    }

    private static boolean hasText(ArrayNode content) {
      for (JsonNode block : content) {
        if (block.has("text")) {
          return true;
        }
      }
      return false;
    }

    private static Set<String> toolUseIds(ArrayNode content) {
      Set<String> ids = new HashSet<>();
      for (JsonNode block : content) {
        if (block.has("toolUse")) {
          ids.add(block.path("toolUse").path("toolUseId").asText());
        }
      }
      return ids;
    }

    private static ObjectNode image(JsonNode source, String path) {
      if (!"base64".equals(source.path("type").asText())) {
        throw new IllegalArgumentException(path + ": Bedrock Converse takes images as bytes (a base64 source), "
            + "not by URL or file id");
      }
      String format = IMAGE_FORMATS.get(source.path("media_type").asText());
      if (format == null) {
        throw new IllegalArgumentException(path + ": Bedrock Converse takes png, jpeg, gif or webp images");
      }
      ObjectNode image = NODES.objectNode();
      ObjectNode converse = image.putObject("image");
      converse.put("format", format);
      converse.putObject("source").put("bytes", source.path("data").asText());
      return image;
    }

    /** A PDF or plain-text document as a Converse document; null for a content source (sent as text). */
    private ObjectNode document(JsonNode block, String path) {
      JsonNode source = block.path("source");
      String format;
      String bytes;
      switch (source.path("type").asText()) {
        case "base64" -> {
          if (!"application/pdf".equals(source.path("media_type").asText("application/pdf"))) {
            throw new IllegalArgumentException(path + ": a base64 document must be a PDF");
          }
          format = "pdf";
          bytes = source.path("data").asText();
        }
        case "text" -> {
          format = "txt";
          bytes = Base64.getEncoder().encodeToString(source.path("data").asText("")
              .getBytes(StandardCharsets.UTF_8));
        }
        case "content" -> {
          return null;
        }
        default -> throw new IllegalArgumentException(path + ": Bedrock Converse takes documents as bytes or text "
            + "(a base64, text or content source), not by URL or file id");
      }
      ObjectNode document = NODES.objectNode();
      ObjectNode converse = document.putObject("document");
      converse.put("format", format);
      converse.put("name", documentName(block.path("title").asText("")));
      converse.putObject("source").put("bytes", bytes);
      if (block.path("context").isTextual() && !block.path("context").asText().isEmpty()) {
        converse.put("context", block.path("context").asText());
      }
      return document;
    }

    /** A document whose source is a list of blocks: its text, as text. */
    private void documentAsText(ArrayNode out, JsonNode block, String path) {
      for (JsonNode item : block.path("source").path("content")) {
        if ("text".equals(item.path("type").asText())) {
          addText(out, item.path("text").asText(""), null);
        } else if ("image".equals(item.path("type").asText())) {
          out.add(image(item.path("source"), path));
        }
      }
    }

    /**
     * Converse allows letters, digits, single spaces, hyphens, parentheses and square brackets, and refuses two
     * documents of one name.
     */
    private String documentName(String title) {
      String name = DOCUMENT_NAME_CHARS.matcher(title).replaceAll(" ").replaceAll("\\s+", " ").trim();
      if (name.length() > MAX_DOCUMENT_NAME - 8) {
        name = name.substring(0, MAX_DOCUMENT_NAME - 8).trim();
      }
      String base = name.isEmpty() ? "document" : name;
      String unique = base;
      for (int n = 2; !documentNames.add(unique); n++) {
        unique = base + " (" + n + ")";
      }
      return unique;
    }

    // ---- system ----

    ArrayNode system(JsonNode system) {
      ArrayNode out = NODES.arrayNode();
      if (system.isTextual()) {
        addText(out, system.asText(), null);
      }
      for (JsonNode block : system.isArray() ? system : NODES.arrayNode()) {
        String text = block.path("text").asText("");
        if ("text".equals(block.path("type").asText()) && !AnthropicRequestParts.isBillingHeader(text)) {
          addText(out, text, block);
        }
      }
      return out;
    }

    // ---- tools ----

    /** Null when no tools go: none were offered, or tool_choice none and the history needs none. */
    ObjectNode toolConfig(JsonNode request, ArrayNode messages) {
      ArrayNode tools = NODES.arrayNode();
      for (JsonNode tool : request.path("tools")) {
        if (!"custom".equals(tool.path("type").asText("custom"))) {
          continue; // server tools (web search, code execution) run on Anthropic's side only
        }
        ObjectNode spec = tools.addObject().putObject("toolSpec");
        spec.put("name", names.toOpenAi(tool.path("name").asText()));
        String description = tool.path("description").asText("");
        if (!description.isBlank()) {
          spec.put("description", description);
        }
        JsonNode schema = tool.path("input_schema");
        spec.putObject("inputSchema").set("json", schema.isObject() ? schema.deepCopy()
            : NODES.objectNode().put("type", "object").set("properties", NODES.objectNode()));
        if (features.toolCachePoints()) {
          cachePoint(tools, tool);
        }
      }
      JsonNode choice = request.path("tool_choice");
      String type = choice.path("type").asText("auto");
      if (tools.isEmpty() || ("none".equals(type) && !holdsToolBlocks(messages))) {
        return null;
      }
      ObjectNode config = NODES.objectNode();
      config.set("tools", tools);
      if (features.forcedToolChoice()) {
        switch (type) {
          case "any" -> config.putObject("toolChoice").putObject("any");
          case "tool" -> config.putObject("toolChoice").putObject("tool")
              .put("name", names.toOpenAi(choice.path("name").asText()));
          default -> { } // auto is Converse's default; none has no Converse form
        }
      }
      return config;
    }

    private static boolean holdsToolBlocks(ArrayNode messages) {
      for (JsonNode message : messages) {
        for (JsonNode block : message.path("content")) {
          if (block.has("toolUse") || block.has("toolResult")) {
            return true;
          }
        }
      }
      return false;
    }

    // ---- helpers ----

    private void addText(ArrayNode out, String text, JsonNode anthropicBlock) {
      if (!text.isBlank()) {
        out.addObject().put("text", text);
        if (anthropicBlock != null) {
          cachePoint(out, anthropicBlock);
        }
      }
    }

    /** A cachePoint after the block just added, when the Anthropic block asked for one and the model caches. */
    private void cachePoint(ArrayNode out, JsonNode anthropicBlock) {
      JsonNode control = anthropicBlock.path("cache_control");
      if (!features.cachePoints() || !control.isObject()) {
        return;
      }
      ObjectNode point = out.addObject().putObject("cachePoint").put("type", "default");
      String ttl = control.path("ttl").asText("");
      if (ttl.equals("5m") || ttl.equals("1h")) {
        point.put("ttl", ttl);
      }
    }
  }

  private record Turn(String role, List<Block> blocks) {
    Turn(String role) {
      this(role, new ArrayList<>());
    }
  }

  /** An Anthropic block and where it sits in the request, for messages that name the field. */
  private record Block(JsonNode node, String path) {}

  private static ObjectNode inferenceConfig(JsonNode request) {
    ObjectNode inference = NODES.objectNode();
    JsonNode maxTokens = request.path("max_tokens");
    if (maxTokens.isIntegralNumber() && maxTokens.asLong() > 0) {
      inference.put("maxTokens", maxTokens.asLong());
    }
    copyNumber(request, "temperature", inference, "temperature");
    copyNumber(request, "top_p", inference, "topP");
    ArrayNode stops = NODES.arrayNode();
    for (JsonNode stop : request.path("stop_sequences")) {
      if (stop.isTextual() && !stop.asText().isEmpty()) {
        stops.add(stop.asText());
      }
    }
    if (!stops.isEmpty()) {
      inference.set("stopSequences", stops);
    }
    return inference;
  }

  /**
   * {@code output_config.format} (a JSON schema for the answer) is Converse's {@code outputConfig.textFormat}, whose
   * schema is a JSON string. {@code effort} is Claude's: for other models it is dropped, since Claude Code sends it
   * with every request.
   */
  private static ObjectNode outputConfig(JsonNode config, ConverseFeatures features) {
    ObjectNode out = NODES.objectNode();
    if (features.anthropicFields() && config.path("effort").isTextual()) {
      out.put("effort", config.path("effort").asText());
    }
    JsonNode format = config.path("format");
    if ("json_schema".equals(format.path("type").asText()) && format.path("schema").isObject()) {
      ObjectNode textFormat = out.putObject("textFormat").put("type", "json_schema");
      textFormat.putObject("structure").putObject("jsonSchema").put("schema", format.path("schema").toString());
    }
    return out;
  }

  private static ObjectNode anthropicFields(JsonNode request, List<String> betas) {
    ObjectNode additional = NODES.objectNode();
    if (request.path("thinking").isObject()) {
      additional.set("thinking", request.path("thinking").deepCopy());
    }
    if (request.path("top_k").isIntegralNumber()) {
      additional.set("top_k", request.path("top_k"));
    }
    if (!betas.isEmpty()) {
      ArrayNode array = additional.putArray("anthropic_beta");
      betas.forEach(array::add);
    }
    return additional;
  }

  private static void copyNumber(JsonNode from, String field, ObjectNode to, String converseField) {
    JsonNode value = from.path(field);
    if (value.isNumber()) {
      to.set(converseField, value);
    }
  }

  /** Anthropic's ids are already valid; any other id is hashed the same way for a use and its result. */
  static String toolUseId(String id) {
    if (TOOL_USE_ID.matcher(id).matches()) {
      return id;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return "tooluse_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
