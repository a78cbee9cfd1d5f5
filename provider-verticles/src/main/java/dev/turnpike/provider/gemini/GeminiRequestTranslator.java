package dev.turnpike.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.provider.anthropic.AnthropicRequestParts;
import dev.turnpike.provider.openai.ToolNameMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Anthropic Messages request to Gemini {@code GenerateContentRequest} (AI Studio and Vertex AI alike). Pure: no
 * I/O, the input is not modified.
 *
 * <p>Decisions, each for a reason:
 * <ul>
 *   <li>Turns: {@code assistant} becomes {@code model}; {@code user} and mid-conversation {@code system}
 *   entries become {@code user} text. A model turn with function calls is followed by a content of exactly as
 *   many {@code functionResponse} parts, in the calls' order and nothing else (Gemini pairs them by position
 *   and name, refuses a different count, and mis-segments turns when text sits beside them); the turn's other
 *   user parts (text, images a tool returned) follow in a content of their own. A call the client did not
 *   answer gets an {@code error} response, a {@code tool_result} that answers no call becomes text.</li>
 *   <li>{@code tool_use} ids carry Gemini's thought signature and call id ({@link GeminiToolIds}); both go back
 *   on the {@code functionCall} part. For Gemini 3 (which refuses a replayed call without a signature) a call
 *   turn that carries none, such as one another model made, gets Google's documented
 *   {@value #SKIP_SIGNATURE} on its first call. Call ids go back only where the API has the field (AI Studio,
 *   not Vertex).</li>
 *   <li>Thinking blocks are not sent back: the signatures that matter travel in the tool ids, and Anthropic's
 *   own signatures mean nothing to Gemini. {@code thinking.budget_tokens} becomes
 *   {@code thinkingConfig.thinkingBudget} with thoughts included; adaptive or disabled thinking leaves the
 *   model's default (a thinking config on a model without thinking is refused).</li>
 *   <li>{@code max_tokens} is capped at {@value #MAX_OUTPUT_TOKENS}, the largest output current Gemini models
 *   accept (Claude Code asks for up to 128000); at most {@value #MAX_STOP_SEQUENCES} stop sequences.</li>
 *   <li>Dropped: Claude Code's {@code x-anthropic-billing-header} system block (it changes every build and would
 *   defeat Gemini's prefix caching), {@code cache_control}, server tools (web search and friends run on
 *   Anthropic's side), {@code metadata}, {@code context_management}, {@code output_config},
 *   {@code disable_parallel_tool_use}, and empty text (Gemini refuses a part without data).</li>
 * </ul>
 */
public final class GeminiRequestTranslator {
  static final int MAX_OUTPUT_TOKENS = 65536;
  static final int MAX_STOP_SEQUENCES = 5;
  static final String SKIP_SIGNATURE = "skip_thought_signature_validator";
  static final String TOOL_NOT_ANSWERED = "The client returned no result for this call.";
  /**
   * A name both Gemini API and Vertex accept: a letter or underscore, then letters, digits, {@code _ . -}; 64
   * at most (Vertex does not take the colon AI Studio allows).
   */
  private static final Pattern FUNCTION_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$");
  private static final Pattern GEMINI_3_OR_LATER = Pattern.compile("^gemini-([3-9]|[1-9][0-9])([.-].*)?$");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private GeminiRequestTranslator() {}

  /** A name mapper for one request, with Gemini's rules for function names. */
  public static ToolNameMapper toolNames() {
    return new ToolNameMapper(name -> name != null && FUNCTION_NAME.matcher(name).matches());
  }

  /**
   * @param upstreamModel the Gemini model (it decides whether signatures are enforced)
   * @param sendsCallIds whether {@code functionCall}/{@code functionResponse} have an {@code id} field here
   * @throws IllegalArgumentException when the request is not a JSON object
   */
  public static ObjectNode toGenerateContent(JsonNode anthropicRequest, String upstreamModel, boolean sendsCallIds,
                                             ToolNameMapper names) {
    if (anthropicRequest == null || !anthropicRequest.isObject()) {
      throw new IllegalArgumentException("request must be a JSON object");
    }
    boolean enforcesSignatures = upstreamModel != null && GEMINI_3_OR_LATER.matcher(upstreamModel).matches();
    ObjectNode out = NODES.objectNode();
    out.set("contents", new Contents(names, sendsCallIds, enforcesSignatures).of(anthropicRequest.path("messages")));
    String system = AnthropicRequestParts.systemText(anthropicRequest.path("system"), true);
    if (!system.isEmpty()) {
      out.putObject("systemInstruction").putArray("parts").addObject().put("text", system);
    }
    ArrayNode declarations = declarations(anthropicRequest.path("tools"), names);
    if (!declarations.isEmpty()) {
      out.putArray("tools").addObject().set("functionDeclarations", declarations);
      ObjectNode toolConfig = toolConfig(anthropicRequest.path("tool_choice"), names);
      if (toolConfig != null) {
        out.set("toolConfig", toolConfig);
      }
    }
    ObjectNode generation = generationConfig(anthropicRequest);
    if (!generation.isEmpty()) {
      out.set("generationConfig", generation);
    }
    return out;
  }

  // ---- contents ----

  /** One function call of a model turn, as the next user turn must answer it. */
  private record Call(String toolUseId, String name, GeminiToolIds.Carried carried) {}

  /** Builds {@code contents}, keeping track of the call turn the next user turn answers. */
  private static final class Contents {
    private final ToolNameMapper names;
    private final boolean sendsCallIds;
    private final boolean enforcesSignatures;
    private final ArrayNode out = NODES.arrayNode();
    private List<Call> unanswered = List.of();

    Contents(ToolNameMapper names, boolean sendsCallIds, boolean enforcesSignatures) {
      this.names = names;
      this.sendsCallIds = sendsCallIds;
      this.enforcesSignatures = enforcesSignatures;
    }

    ArrayNode of(JsonNode messages) {
      List<JsonNode> blocks = new ArrayList<>();
      boolean assistant = false;
      for (JsonNode message : messages) {
        boolean isAssistant = "assistant".equals(message.path("role").asText());
        if (isAssistant != assistant && !blocks.isEmpty()) {
          flush(assistant, blocks);
          blocks = new ArrayList<>();
        }
        assistant = isAssistant;
        blocks.addAll(blocksOf(message.path("content")));
      }
      if (!blocks.isEmpty()) {
        flush(assistant, blocks);
      }
      return out;
    }

    private void flush(boolean assistant, List<JsonNode> blocks) {
      if (assistant) {
        modelTurn(blocks);
      } else {
        userTurn(blocks);
      }
    }

    private void modelTurn(List<JsonNode> blocks) {
      ArrayNode parts = NODES.arrayNode();
      List<Call> calls = new ArrayList<>();
      for (JsonNode block : blocks) {
        switch (block.path("type").asText()) {
          case "text" -> addText(parts, block.path("text").asText());
          case "tool_use" -> {
            String id = block.path("id").asText();
            Call call = new Call(id, names.toOpenAi(block.path("name").asText()), GeminiToolIds.decode(id));
            calls.add(call);
            parts.add(functionCall(call, block.path("input")));
          }
          default -> { } // thinking, redacted_thinking, server tool blocks: nothing Gemini can take
        }
      }
      if (parts.isEmpty()) {
        return;
      }
      answerUnanswered(new LinkedHashMap<>(), new ArrayList<>()); // a call turn the client never answered
      if (enforcesSignatures && !calls.isEmpty()
          && calls.stream().allMatch(call -> call.carried().thoughtSignature() == null)) {
        for (JsonNode part : parts) {
          if (part.has("functionCall")) {
            ((ObjectNode) part).put("thoughtSignature", SKIP_SIGNATURE);
            break;
          }
        }
      }
      out.addObject().put("role", "model").set("parts", parts);
      unanswered = calls;
    }

    private void userTurn(List<JsonNode> blocks) {
      Map<String, JsonNode> results = new LinkedHashMap<>();
      for (JsonNode block : blocks) {
        if ("tool_result".equals(block.path("type").asText())) {
          results.putIfAbsent(block.path("tool_use_id").asText(), block);
        }
      }
      List<ObjectNode> others = new ArrayList<>();
      answerUnanswered(results, others);
      for (JsonNode block : blocks) {
        if ("tool_result".equals(block.path("type").asText())) {
          if (results.get(block.path("tool_use_id").asText()) == block) {
            // answers no call right before it (history was edited): the model still sees it
            ToolResult result = ToolResult.of(block);
            others.add(textPart("Result of tool call " + block.path("tool_use_id").asText() + ":\n"
                + result.text()));
            others.addAll(result.media());
          }
        } else {
          others.addAll(userParts(block));
        }
      }
      if (!others.isEmpty()) {
        ArrayNode parts = out.addObject().put("role", "user").putArray("parts");
        others.forEach(parts::add);
      }
    }

    /**
     * The function-response content the last call turn needs, answered from {@code results} (removed from it
     * as they are used); images the tools returned go to {@code others}.
     */
    private void answerUnanswered(Map<String, JsonNode> results, List<ObjectNode> others) {
      if (unanswered.isEmpty()) {
        return;
      }
      ArrayNode parts = out.addObject().put("role", "user").putArray("parts");
      for (Call call : unanswered) {
        JsonNode block = results.remove(call.toolUseId());
        ObjectNode response = NODES.objectNode();
        if (block == null) {
          response.put("error", TOOL_NOT_ANSWERED);
        } else {
          ToolResult result = ToolResult.of(block);
          response.put(block.path("is_error").asBoolean(false) ? "error" : "output", result.text());
          if (!result.media().isEmpty()) {
            others.add(textPart("Returned by tool call " + call.toolUseId() + ":"));
            others.addAll(result.media());
          }
        }
        ObjectNode functionResponse = parts.addObject().putObject("functionResponse");
        if (sendsCallIds && call.carried().callId() != null) {
          functionResponse.put("id", call.carried().callId());
        }
        functionResponse.put("name", call.name());
        functionResponse.set("response", response);
      }
      unanswered = List.of();
    }

    private ObjectNode functionCall(Call call, JsonNode input) {
      ObjectNode part = NODES.objectNode();
      ObjectNode functionCall = part.putObject("functionCall");
      if (sendsCallIds && call.carried().callId() != null) {
        functionCall.put("id", call.carried().callId());
      }
      functionCall.put("name", call.name());
      functionCall.set("args", input.isObject() ? input.deepCopy() : NODES.objectNode());
      if (call.carried().thoughtSignature() != null) {
        part.put("thoughtSignature", call.carried().thoughtSignature());
      }
      return part;
    }
  }

  /** A message's content as blocks; a string is one text block, a system entry's text is user text. */
  private static List<JsonNode> blocksOf(JsonNode content) {
    List<JsonNode> blocks = new ArrayList<>();
    if (content.isTextual()) {
      blocks.add(NODES.objectNode().put("type", "text").put("text", content.asText()));
    }
    for (JsonNode block : content.isArray() ? content : NODES.arrayNode()) {
      if (block.isObject()) {
        blocks.add(block);
      }
    }
    return blocks;
  }

  /** A tool result's text (the model reads it as the call's output) and the media it returned. */
  private record ToolResult(String text, List<ObjectNode> media) {
    static ToolResult of(JsonNode block) {
      StringBuilder text = new StringBuilder();
      List<ObjectNode> media = new ArrayList<>();
      JsonNode content = block.path("content");
      if (content.isTextual()) {
        text.append(content.asText());
      }
      for (JsonNode item : content.isArray() ? content : NODES.arrayNode()) {
        switch (item.path("type").asText()) {
          case "text" -> appendLine(text, item.path("text").asText());
          case "image", "document" -> media.addAll(userParts(item));
          default -> appendLine(text, AnthropicRequestParts.withoutCacheControl(item).toString());
        }
      }
      return new ToolResult(text.toString(), media);
    }
  }

  private static List<ObjectNode> userParts(JsonNode block) {
    List<ObjectNode> parts = new ArrayList<>();
    switch (block.path("type").asText()) {
      case "text" -> {
        if (!block.path("text").asText().isEmpty()) {
          parts.add(textPart(block.path("text").asText()));
        }
      }
      case "image" -> {
        ObjectNode media = media(block.path("source"), "image/jpeg");
        if (media != null) {
          parts.add(media);
        }
      }
      case "document" -> {
        JsonNode source = block.path("source");
        if ("text".equals(source.path("type").asText())) {
          addIfText(parts, source.path("data").asText());
        } else {
          ObjectNode media = media(source, "application/pdf");
          if (media != null) {
            parts.add(media);
          }
        }
      }
      case "thinking", "redacted_thinking", "tool_result" -> { }
      default -> addIfText(parts, block.path("text").asText(""));
    }
    return parts;
  }

  private static void addIfText(List<ObjectNode> parts, String text) {
    if (!text.isEmpty()) {
      parts.add(textPart(text));
    }
  }

  /** Base64 data becomes {@code inlineData}, a URL {@code fileData}; a Files API id means nothing to Gemini. */
  private static ObjectNode media(JsonNode source, String defaultMimeType) {
    ObjectNode part = NODES.objectNode();
    switch (source.path("type").asText()) {
      case "base64" -> part.putObject("inlineData")
          .put("mimeType", source.path("media_type").asText(defaultMimeType))
          .put("data", source.path("data").asText());
      case "url" -> {
        ObjectNode file = part.putObject("fileData");
        String mimeType = mimeTypeOf(source.path("url").asText(), defaultMimeType);
        if (mimeType != null) {
          file.put("mimeType", mimeType);
        }
        file.put("fileUri", source.path("url").asText());
      }
      default -> {
        return null;
      }
    }
    return part;
  }

  private static String mimeTypeOf(String url, String defaultMimeType) {
    String path = url.toLowerCase(Locale.ROOT).replaceAll("[?#].*$", "");
    if (path.endsWith(".png")) {
      return "image/png";
    } else if (path.endsWith(".jpg") || path.endsWith(".jpeg")) {
      return "image/jpeg";
    } else if (path.endsWith(".webp")) {
      return "image/webp";
    } else if (path.endsWith(".gif")) {
      return "image/gif";
    } else if (path.endsWith(".pdf")) {
      return "application/pdf";
    }
    return "application/pdf".equals(defaultMimeType) ? defaultMimeType : null;
  }

  // ---- system, tools, generation ----

  private static ArrayNode declarations(JsonNode tools, ToolNameMapper names) {
    ArrayNode out = NODES.arrayNode();
    for (JsonNode tool : tools) {
      if (!"custom".equals(tool.path("type").asText("custom"))) {
        continue; // server tools (web_search_..., code_execution_...) run on Anthropic's side only
      }
      ObjectNode declaration = out.addObject();
      declaration.put("name", names.toOpenAi(tool.path("name").asText()));
      declaration.put("description", tool.path("description").asText(""));
      ObjectNode parameters = GeminiSchema.parameters(tool.path("input_schema"));
      if (parameters != null) {
        declaration.set("parameters", parameters);
      }
    }
    return out;
  }

  private static ObjectNode toolConfig(JsonNode choice, ToolNameMapper names) {
    String mode = switch (choice.path("type").asText()) {
      case "auto" -> "AUTO";
      case "any", "tool" -> "ANY";
      case "none" -> "NONE";
      default -> null;
    };
    if (mode == null) {
      return null;
    }
    ObjectNode config = NODES.objectNode();
    ObjectNode calling = config.putObject("functionCallingConfig").put("mode", mode);
    if ("tool".equals(choice.path("type").asText())) {
      calling.putArray("allowedFunctionNames").add(names.toOpenAi(choice.path("name").asText()));
    }
    return config;
  }

  private static ObjectNode generationConfig(JsonNode request) {
    ObjectNode out = NODES.objectNode();
    JsonNode maxTokens = request.path("max_tokens");
    if (maxTokens.canConvertToLong() && maxTokens.asLong() > 0) {
      out.put("maxOutputTokens", Math.min(maxTokens.asLong(), MAX_OUTPUT_TOKENS));
    }
    copyNumber(request, "temperature", out, "temperature");
    copyNumber(request, "top_p", out, "topP");
    if (request.path("top_k").canConvertToInt()) {
      out.put("topK", request.path("top_k").asInt());
    }
    ArrayNode stop = NODES.arrayNode();
    for (JsonNode sequence : request.path("stop_sequences")) {
      if (sequence.isTextual() && !sequence.asText().isEmpty() && stop.size() < MAX_STOP_SEQUENCES) {
        stop.add(sequence.asText());
      }
    }
    if (!stop.isEmpty()) {
      out.set("stopSequences", stop);
    }
    JsonNode thinking = request.path("thinking");
    if ("enabled".equals(thinking.path("type").asText()) && thinking.path("budget_tokens").canConvertToInt()) {
      out.putObject("thinkingConfig").put("includeThoughts", true)
          .put("thinkingBudget", thinking.path("budget_tokens").asInt());
    }
    return out;
  }

  // ---- helpers ----

  private static void copyNumber(JsonNode from, String field, ObjectNode to, String as) {
    if (from.path(field).isNumber()) {
      to.set(as, from.path(field));
    }
  }

  private static void addText(ArrayNode parts, String text) {
    if (!text.isEmpty()) {
      parts.add(textPart(text));
    }
  }

  private static ObjectNode textPart(String text) {
    return NODES.objectNode().put("text", text);
  }

  private static void appendLine(StringBuilder text, String line) {
    if (!text.isEmpty()) {
      text.append('\n');
    }
    text.append(line);
  }
}
