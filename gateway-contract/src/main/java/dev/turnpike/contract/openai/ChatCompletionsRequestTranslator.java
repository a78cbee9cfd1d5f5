package dev.turnpike.contract.openai;

import static dev.turnpike.contract.openai.ChatJson.NODES;
import static dev.turnpike.contract.openai.ChatJson.absent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An OpenAI Chat Completions request body ({@code POST /v1/chat/completions}) to an Anthropic Messages request
 * body. Pure: no I/O, the input is not modified.
 *
 * <p>Decisions, each for a reason:
 * <ul>
 *   <li>{@code system} and {@code developer} messages, wherever they stand, become Anthropic's top-level
 *   {@code system} blocks in their order: Anthropic has no system turn inside the conversation.</li>
 *   <li>Consecutive {@code tool} (and deprecated {@code function}) messages become one user turn of
 *   {@code tool_result} blocks, and a user message right after them joins that turn after the results: Anthropic
 *   wants every result of an assistant turn's tool calls first in the next user turn.</li>
 *   <li>{@code max_tokens} is required by Anthropic and optional in OpenAI: without {@code max_completion_tokens}
 *   or {@code max_tokens} it is {@value #DEFAULT_MAX_TOKENS}, as for Converse requests. Both set is refused, as
 *   OpenAI refuses it ({@code invalid_parameter_combination}).</li>
 *   <li>{@code temperature} above 1 (OpenAI allows up to 2, Anthropic up to 1) is sent as 1, the nearest value
 *   the model takes.</li>
 *   <li>{@code user} (or, without it, {@code safety_identifier}) becomes {@code metadata.user_id}.</li>
 *   <li>{@code parallel_tool_calls: false} becomes {@code tool_choice.disable_parallel_tool_use}; the deprecated
 *   {@code functions} always do, since that API carries one call per answer.</li>
 *   <li>{@code response_format} {@code json_schema} becomes {@code output_config.format} (Anthropic's structured
 *   outputs; the schema's name, description and {@code strict} have no place there). {@code json_object} has no
 *   Anthropic counterpart and is refused.</li>
 *   <li>Refused, because the answer could not be what the client asked for: {@code n} above 1, {@code logprobs},
 *   {@code top_logprobs}, {@code audio} and audio {@code modalities}, {@code web_search_options},
 *   {@code moderation}, audio and uploaded-file ({@code file_id}) content parts, custom tools, the
 *   {@code allowed_tools} choice.</li>
 *   <li>Ignored, because they only tune or label the call and the answer is right without them:
 *   {@code frequency_penalty}, {@code presence_penalty}, {@code logit_bias}, {@code seed}, {@code service_tier},
 *   {@code store}, {@code metadata} (OpenAI's stored-completion tags), {@code prediction},
 *   {@code prompt_cache_key}, {@code prompt_cache_retention}, {@code prompt_cache_options},
 *   {@code reasoning_effort}, {@code verbosity}, {@code stream_options.include_obfuscation}, a message's
 *   {@code name}, an image's {@code detail}, a function's {@code strict}.</li>
 *   <li>Any other top-level field is refused as OpenAI refuses it ("Unrecognized request argument supplied"), so
 *   a misspelt parameter is not silently dropped.</li>
 * </ul>
 */
public final class ChatCompletionsRequestTranslator {
  /** Anthropic's {@code max_tokens} when the request sets no limit. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /**
   * The translated request.
   *
   * @param body Anthropic Messages JSON
   * @param model the model the client asked for, as it asked
   * @param answer what the answer translators need to know of the request
   */
  public record AnthropicRequest(Buffer body, String model, ChatAnswerOptions answer) {}

  private static final ChatJson F = ChatJson.REQUEST;
  private static final String UNSUPPORTED_PARAMETER = "unsupported_parameter";
  private static final String UNSUPPORTED_VALUE = "unsupported_value";
  private static final Set<String> TRANSLATED = Set.of("model", "messages", "max_completion_tokens", "max_tokens",
      "temperature", "top_p", "stop", "stream", "stream_options", "user", "safety_identifier", "tools",
      "tool_choice", "parallel_tool_calls", "functions", "function_call", "response_format", "n", "logprobs",
      "top_logprobs", "audio", "modalities", "web_search_options", "moderation");
  private static final Set<String> IGNORED = Set.of("frequency_penalty", "presence_penalty", "logit_bias", "seed",
      "service_tier", "store", "metadata", "prediction", "prompt_cache_key", "prompt_cache_retention",
      "prompt_cache_options", "reasoning_effort", "verbosity");
  private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
  /** Anthropic's tool-use ids; OpenAI's ({@code call_...}) already match. */
  private static final Pattern TOOL_USE_ID = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern NOT_TOOL_USE_ID = Pattern.compile("[^A-Za-z0-9_-]");
  private static final int MAX_STOP_SEQUENCES = 4;

  private ChatCompletionsRequestTranslator() {}

  /**
   * @throws ChatCompletionsException ({@code INVALID_REQUEST}) when the body is not a Chat Completions request this
   *     class can translate; its message names the field
   */
  public static AnthropicRequest translate(Buffer chatBody) {
    ObjectNode request = F.parseObject(chatBody, "Request body");
    for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!TRANSLATED.contains(name) && !IGNORED.contains(name)) {
        throw ChatCompletionsException.invalidRequest("", "Unrecognized request argument supplied: "
            + ChatJson.quote(name));
      }
    }
    refuseUnanswerable(request);
    boolean stream = F.optionalBool(request.get("stream"), "stream", false);
    boolean includeUsage = includeUsage(request.get("stream_options"), stream);
    boolean legacyFunctions = !absent(request.get("functions"));

    ObjectNode out = NODES.objectNode();
    String model = F.nonEmptyText(request.get("model"), "model");
    out.put("model", model);
    out.put("max_tokens", maxTokens(request));
    Conversation conversation = new Conversation();
    ArrayNode messages = F.array(request.get("messages"), "messages");
    if (messages.isEmpty()) {
      throw F.fail("messages", "must hold at least one message");
    }
    for (int i = 0; i < messages.size(); i++) {
      conversation.add(messages.get(i), "messages[" + i + "]");
    }
    if (!conversation.system.isEmpty()) {
      out.set("system", conversation.system);
    }
    if (conversation.turns.isEmpty()) {
      throw F.fail("messages", "must hold at least one user or assistant message with content");
    }
    out.set("messages", conversation.turns);
    tools(request, legacyFunctions, out);
    sampling(request, out);
    String user = F.optionalText(request.get("user"), "user");
    if (user == null) {
      user = F.optionalText(request.get("safety_identifier"), "safety_identifier");
    }
    if (user != null && !user.isEmpty()) {
      out.putObject("metadata").put("user_id", user);
    }
    responseFormat(request.get("response_format"), out);
    out.put("stream", stream);
    return new AnthropicRequest(ChatJson.write(out), model,
        new ChatAnswerOptions(stream, includeUsage, legacyFunctions));
  }

  private static void refuseUnanswerable(ObjectNode request) {
    JsonNode n = request.get("n");
    if (!absent(n) && F.positiveInt(n, "n") > 1) {
      throw ChatCompletionsException.invalidRequest("n", "only 1 is supported: the model answers with one choice",
          UNSUPPORTED_VALUE);
    }
    if (F.optionalBool(request.get("logprobs"), "logprobs", false)) {
      throw unsupported("logprobs", "log probabilities are not available from this gateway's models");
    }
    refuseWhenSet(request, "top_logprobs", "log probabilities are not available from this gateway's models");
    refuseWhenSet(request, "audio", "audio output is not supported");
    refuseWhenSet(request, "web_search_options", "web search is not supported");
    refuseWhenSet(request, "moderation", "moderation is not supported");
    JsonNode modalities = request.get("modalities");
    if (!absent(modalities)) {
      ArrayNode list = F.array(modalities, "modalities");
      for (int i = 0; i < list.size(); i++) {
        if (!"text".equals(F.text(list.get(i), "modalities[" + i + "]"))) {
          throw ChatCompletionsException.invalidRequest("modalities[" + i + "]", "only 'text' is supported",
              UNSUPPORTED_VALUE);
        }
      }
    }
  }

  private static void refuseWhenSet(ObjectNode request, String field, String why) {
    if (!absent(request.get(field))) {
      throw unsupported(field, why);
    }
  }

  private static ChatCompletionsException unsupported(String path, String why) {
    return ChatCompletionsException.invalidRequest(path, why, UNSUPPORTED_PARAMETER);
  }

  private static boolean includeUsage(JsonNode options, boolean stream) {
    if (absent(options)) {
      return false;
    }
    if (!stream) {
      // OpenAI's own refusal: the options only shape a stream.
      throw ChatCompletionsException.invalidRequest("stream_options", "only allowed when 'stream' is true",
          "invalid_parameter_combination");
    }
    ObjectNode object = F.object(options, "stream_options");
    return F.optionalBool(object.get("include_usage"), "stream_options.include_usage", false);
  }

  private static int maxTokens(ObjectNode request) {
    JsonNode completion = request.get("max_completion_tokens");
    JsonNode legacy = request.get("max_tokens");
    if (!absent(completion) && !absent(legacy)) {
      throw ChatCompletionsException.invalidRequest("max_tokens",
          "setting 'max_tokens' and 'max_completion_tokens' at the same time is not supported",
          "invalid_parameter_combination");
    }
    if (!absent(completion)) {
      return F.positiveInt(completion, "max_completion_tokens");
    }
    return absent(legacy) ? DEFAULT_MAX_TOKENS : F.positiveInt(legacy, "max_tokens");
  }

  private static void sampling(ObjectNode request, ObjectNode out) {
    JsonNode temperature = request.get("temperature");
    if (!absent(temperature)) {
      double value = F.number(temperature, "temperature").doubleValue();
      if (value < 0 || value > 2) {
        throw F.fail("temperature", "must be between 0 and 2");
      }
      if (value > 1) {
        out.put("temperature", 1.0);
      } else {
        out.set("temperature", temperature);
      }
    }
    JsonNode topP = request.get("top_p");
    if (!absent(topP)) {
      out.set("top_p", F.number(topP, "top_p"));
    }
    JsonNode stop = request.get("stop");
    if (!absent(stop)) {
      ArrayNode stops = NODES.arrayNode();
      if (stop.isTextual()) {
        stops.add(stop.textValue());
      } else {
        ArrayNode list = F.array(stop, "stop");
        if (list.size() > MAX_STOP_SEQUENCES) {
          throw F.fail("stop", "at most " + MAX_STOP_SEQUENCES + " sequences");
        }
        for (int i = 0; i < list.size(); i++) {
          stops.add(F.text(list.get(i), "stop[" + i + "]"));
        }
      }
      if (!stops.isEmpty()) {
        out.set("stop_sequences", stops);
      }
    }
  }

  private static void responseFormat(JsonNode node, ObjectNode out) {
    if (absent(node)) {
      return;
    }
    ObjectNode format = F.object(node, "response_format");
    String type = F.text(format.get("type"), "response_format.type");
    switch (type) {
      case "text" -> { }
      case "json_schema" -> {
        ObjectNode jsonSchema = F.object(format.get("json_schema"), "response_format.json_schema");
        ObjectNode schema = F.object(jsonSchema.get("schema"), "response_format.json_schema.schema");
        out.putObject("output_config").putObject("format").put("type", "json_schema").set("schema", schema);
      }
      case "json_object" -> throw ChatCompletionsException.invalidRequest("response_format.type",
          "'json_object' is not supported: send a 'json_schema' format instead", UNSUPPORTED_VALUE);
      default -> throw F.fail("response_format.type", "must be 'text' or 'json_schema'");
    }
  }

  // ---- tools ----

  private static void tools(ObjectNode request, boolean legacyFunctions, ObjectNode out) {
    JsonNode tools = request.get("tools");
    ArrayNode translated = NODES.arrayNode();
    if (!absent(tools)) {
      if (legacyFunctions) {
        throw ChatCompletionsException.invalidRequest("functions", "send either 'tools' or the deprecated "
            + "'functions', not both", "invalid_parameter_combination");
      }
      ArrayNode list = F.array(tools, "tools");
      for (int i = 0; i < list.size(); i++) {
        String path = "tools[" + i + "]";
        ObjectNode tool = F.object(list.get(i), path);
        String type = F.text(tool.get("type"), path + ".type");
        if (!type.equals("function")) {
          throw ChatCompletionsException.invalidRequest(path + ".type", "only 'function' tools are supported",
              UNSUPPORTED_VALUE);
        }
        translated.add(function(F.object(tool.get("function"), path + ".function"), path + ".function"));
      }
    } else if (legacyFunctions) {
      ArrayNode list = F.array(request.get("functions"), "functions");
      for (int i = 0; i < list.size(); i++) {
        translated.add(function(F.object(list.get(i), "functions[" + i + "]"), "functions[" + i + "]"));
      }
    }
    if (translated.isEmpty()) {
      return; // a tool_choice without tools has nothing to choose from
    }
    out.set("tools", translated);
    ObjectNode choice = legacyFunctions
        ? functionCall(request.get("function_call"))
        : toolChoice(request.get("tool_choice"));
    boolean parallel = !legacyFunctions
        && F.optionalBool(request.get("parallel_tool_calls"), "parallel_tool_calls", true);
    if (!parallel && !"none".equals(choice == null ? null : choice.path("type").asText())) {
      if (choice == null) {
        choice = NODES.objectNode().put("type", "auto");
      }
      choice.put("disable_parallel_tool_use", true);
    }
    if (choice != null) {
      out.set("tool_choice", choice);
    }
  }

  private static ObjectNode function(ObjectNode function, String path) {
    ObjectNode tool = NODES.objectNode().put("name", F.nonEmptyText(function.get("name"), path + ".name"));
    String description = F.optionalText(function.get("description"), path + ".description");
    if (description != null && !description.isEmpty()) {
      tool.put("description", description);
    }
    JsonNode parameters = function.get("parameters");
    ObjectNode schema = absent(parameters) ? NODES.objectNode()
        : F.object(parameters, path + ".parameters").deepCopy();
    if (!schema.has("type")) {
      schema.put("type", "object"); // OpenAI reads a missing or empty schema as "no parameters"
      if (!schema.has("properties")) {
        schema.putObject("properties");
      }
    }
    tool.set("input_schema", schema);
    return tool;
  }

  /** {@code tool_choice} to Anthropic's; null when absent (Anthropic's default is OpenAI's: auto). */
  private static ObjectNode toolChoice(JsonNode node) {
    if (absent(node)) {
      return null;
    }
    if (node.isTextual()) {
      return switch (node.textValue()) {
        case "none" -> NODES.objectNode().put("type", "none");
        case "auto" -> NODES.objectNode().put("type", "auto");
        case "required" -> NODES.objectNode().put("type", "any");
        default -> throw F.fail("tool_choice", "must be 'none', 'auto', 'required' or a named function");
      };
    }
    ObjectNode choice = F.object(node, "tool_choice");
    String type = F.text(choice.get("type"), "tool_choice.type");
    if (!type.equals("function")) {
      throw ChatCompletionsException.invalidRequest("tool_choice.type", "only a named 'function' is supported",
          UNSUPPORTED_VALUE);
    }
    String name = F.nonEmptyText(F.object(choice.get("function"), "tool_choice.function").get("name"),
        "tool_choice.function.name");
    return NODES.objectNode().put("type", "tool").put("name", name);
  }

  /** The deprecated {@code function_call} choice; one call per answer, as that API has it. */
  private static ObjectNode functionCall(JsonNode node) {
    ObjectNode choice;
    if (absent(node)) {
      choice = NODES.objectNode().put("type", "auto");
    } else if (node.isTextual()) {
      choice = switch (node.textValue()) {
        case "none" -> NODES.objectNode().put("type", "none");
        case "auto" -> NODES.objectNode().put("type", "auto");
        default -> throw F.fail("function_call", "must be 'none', 'auto' or {\"name\": ...}");
      };
    } else {
      String name = F.nonEmptyText(F.object(node, "function_call").get("name"), "function_call.name");
      choice = NODES.objectNode().put("type", "tool").put("name", name);
    }
    if (!choice.path("type").asText().equals("none")) {
      choice.put("disable_parallel_tool_use", true);
    }
    return choice;
  }

  /** A client's tool-call id as an Anthropic tool-use id: the same mapping for the call and its result. */
  private static String toolUseId(String id) {
    return TOOL_USE_ID.matcher(id).matches() ? id : NOT_TOOL_USE_ID.matcher(id).replaceAll("_");
  }

  // ---- messages ----

  /** The conversation as Anthropic has it: system blocks apart, then alternating turns. */
  private static final class Conversation {
    final ArrayNode system = NODES.arrayNode();
    final ArrayNode turns = NODES.arrayNode();
    /** The last turn is a user turn that began with tool results: more results, or the user's words, join it. */
    private boolean toolResultTurnOpen;
    /** Ids given to the deprecated assistant {@code function_call}s not yet answered, per function name. */
    private final Map<String, Deque<String>> unansweredFunctions = new HashMap<>();
    private int legacyCalls;

    void add(JsonNode node, String path) {
      ObjectNode message = F.object(node, path);
      String role = F.text(message.get("role"), path + ".role");
      switch (role) {
        case "system", "developer" -> textParts(message.get("content"), path + ".content", system);
        case "user" -> user(message, path);
        case "assistant" -> assistant(message, path);
        case "tool" -> toolResult(toolUseId(F.nonEmptyText(message.get("tool_call_id"), path + ".tool_call_id")),
            message.get("content"), path);
        case "function" -> function(message, path);
        default -> throw F.fail(path + ".role",
            "must be 'system', 'developer', 'user', 'assistant', 'tool' or 'function'");
      }
    }

    private void user(ObjectNode message, String path) {
      ArrayNode blocks = userContent(message.get("content"), path + ".content");
      if (blocks.isEmpty()) {
        return;
      }
      if (toolResultTurnOpen) {
        ((ArrayNode) turns.get(turns.size() - 1).get("content")).addAll(blocks);
        toolResultTurnOpen = false;
        return;
      }
      turns.addObject().put("role", "user").set("content", blocks);
    }

    private void assistant(ObjectNode message, String path) {
      ArrayNode blocks = NODES.arrayNode();
      JsonNode content = message.get("content");
      if (!absent(content)) {
        assistantContent(content, path + ".content", blocks);
      }
      JsonNode toolCalls = message.get("tool_calls");
      if (!absent(toolCalls)) {
        ArrayNode calls = F.array(toolCalls, path + ".tool_calls");
        for (int i = 0; i < calls.size(); i++) {
          blocks.add(toolCall(calls.get(i), path + ".tool_calls[" + i + "]"));
        }
      }
      JsonNode functionCall = message.get("function_call");
      if (!absent(functionCall)) {
        String callPath = path + ".function_call";
        ObjectNode call = F.object(functionCall, callPath);
        String name = F.nonEmptyText(call.get("name"), callPath + ".name");
        String id = "toolu_function_" + legacyCalls++;
        unansweredFunctions.computeIfAbsent(name, n -> new ArrayDeque<>()).add(id);
        blocks.add(toolUse(id, name, call.get("arguments"), callPath + ".arguments"));
      }
      toolResultTurnOpen = false;
      if (!blocks.isEmpty()) {
        turns.addObject().put("role", "assistant").set("content", blocks);
      }
    }

    private void function(ObjectNode message, String path) {
      String name = F.nonEmptyText(message.get("name"), path + ".name");
      Deque<String> ids = unansweredFunctions.get(name);
      if (ids == null || ids.isEmpty()) {
        throw F.fail(path, "a function message must answer an earlier assistant function_call of "
            + ChatJson.quote(name));
      }
      toolResult(ids.poll(), message.get("content"), path);
    }

    private void toolResult(String toolUseId, JsonNode content, String path) {
      ObjectNode result = NODES.objectNode().put("type", "tool_result").put("tool_use_id", toolUseId);
      if (!absent(content)) {
        if (content.isTextual()) {
          if (!content.textValue().isEmpty()) {
            result.put("content", content.textValue());
          }
        } else {
          ArrayNode blocks = NODES.arrayNode();
          textParts(content, path + ".content", blocks);
          if (!blocks.isEmpty()) {
            result.set("content", blocks);
          }
        }
      }
      if (!toolResultTurnOpen) {
        turns.addObject().put("role", "user").putArray("content");
        toolResultTurnOpen = true;
      }
      ((ArrayNode) turns.get(turns.size() - 1).get("content")).add(result);
    }
  }

  /** System, developer and tool content: a string or text parts; empty text is left out (Anthropic refuses it). */
  private static void textParts(JsonNode content, String path, ArrayNode into) {
    if (content != null && content.isTextual()) {
      addText(content.textValue(), into);
      return;
    }
    ArrayNode parts = F.array(content, path);
    for (int i = 0; i < parts.size(); i++) {
      String partPath = path + "[" + i + "]";
      ObjectNode part = F.object(parts.get(i), partPath);
      String type = F.text(part.get("type"), partPath + ".type");
      if (!type.equals("text")) {
        throw F.fail(partPath + ".type", "must be 'text'");
      }
      addText(F.text(part.get("text"), partPath + ".text"), into);
    }
  }

  private static void addText(String text, ArrayNode into) {
    if (!text.isEmpty()) {
      into.addObject().put("type", "text").put("text", text);
    }
  }

  private static ArrayNode userContent(JsonNode content, String path) {
    ArrayNode blocks = NODES.arrayNode();
    if (content != null && content.isTextual()) {
      addText(content.textValue(), blocks);
      return blocks;
    }
    ArrayNode parts = F.array(content, path);
    for (int i = 0; i < parts.size(); i++) {
      String partPath = path + "[" + i + "]";
      ObjectNode part = F.object(parts.get(i), partPath);
      String type = F.text(part.get("type"), partPath + ".type");
      switch (type) {
        case "text" -> addText(F.text(part.get("text"), partPath + ".text"), blocks);
        case "image_url" -> blocks.add(image(F.object(part.get("image_url"), partPath + ".image_url"),
            partPath + ".image_url"));
        case "file" -> blocks.add(file(F.object(part.get("file"), partPath + ".file"), partPath + ".file"));
        case "input_audio" -> throw ChatCompletionsException.invalidRequest(partPath + ".type",
            "audio input is not supported", UNSUPPORTED_VALUE);
        default -> throw F.fail(partPath + ".type", "must be 'text', 'image_url' or 'file'");
      }
    }
    return blocks;
  }

  private static void assistantContent(JsonNode content, String path, ArrayNode into) {
    if (content.isTextual()) {
      addText(content.textValue(), into);
      return;
    }
    ArrayNode parts = F.array(content, path);
    for (int i = 0; i < parts.size(); i++) {
      String partPath = path + "[" + i + "]";
      ObjectNode part = F.object(parts.get(i), partPath);
      String type = F.text(part.get("type"), partPath + ".type");
      switch (type) {
        case "text" -> addText(F.text(part.get("text"), partPath + ".text"), into);
        case "refusal" -> addText(F.text(part.get("refusal"), partPath + ".refusal"), into);
        default -> throw F.fail(partPath + ".type", "must be 'text' or 'refusal'");
      }
    }
  }

  /** {@code data:} URIs carry the image itself (base64); any other URL is fetched by the model's provider. */
  private static ObjectNode image(ObjectNode imageUrl, String path) {
    String url = F.nonEmptyText(imageUrl.get("url"), path + ".url");
    ObjectNode source = NODES.objectNode();
    if (url.regionMatches(true, 0, "data:", 0, 5)) {
      DataUri data = DataUri.parse(url, path + ".url");
      if (!IMAGE_TYPES.contains(data.mediaType())) {
        throw ChatCompletionsException.invalidRequest(path + ".url",
            "images must be image/jpeg, image/png, image/gif or image/webp", UNSUPPORTED_VALUE);
      }
      source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64());
    } else if (url.regionMatches(true, 0, "https://", 0, 8) || url.regionMatches(true, 0, "http://", 0, 7)) {
      source.put("type", "url").put("url", url);
    } else {
      throw F.fail(path + ".url", "must be an http(s) URL or a base64 data: URI");
    }
    ObjectNode block = NODES.objectNode().put("type", "image");
    block.set("source", source);
    return block;
  }

  /** A PDF sent inline ({@code file_data}); an uploaded file ({@code file_id}) lives in OpenAI's storage. */
  private static ObjectNode file(ObjectNode file, String path) {
    if (!absent(file.get("file_id"))) {
      throw ChatCompletionsException.invalidRequest(path + ".file_id",
          "uploaded files are not supported: send the file inline as file_data", UNSUPPORTED_PARAMETER);
    }
    String fileData = F.nonEmptyText(file.get("file_data"), path + ".file_data");
    DataUri data = DataUri.parse(fileData, path + ".file_data");
    if (!data.mediaType().equals("application/pdf")) {
      throw ChatCompletionsException.invalidRequest(path + ".file_data", "only PDF files are supported",
          UNSUPPORTED_VALUE);
    }
    ObjectNode block = NODES.objectNode().put("type", "document");
    block.putObject("source").put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64());
    String filename = F.optionalText(file.get("filename"), path + ".filename");
    if (filename != null && !filename.isEmpty()) {
      block.put("title", filename);
    }
    return block;
  }

  /** {@code data:<media type>[;param]*;base64,<data>}; only base64 data is accepted. */
  private record DataUri(String mediaType, String base64) {
    static DataUri parse(String uri, String path) {
      int comma = uri.indexOf(',');
      if (comma < 0) {
        throw F.fail(path, "a data: URI needs a ',' before its data");
      }
      String[] header = uri.substring(5, comma).split(";");
      boolean base64 = header.length > 1 && header[header.length - 1].equalsIgnoreCase("base64");
      String data = uri.substring(comma + 1);
      if (!base64 || data.isEmpty()) {
        throw F.fail(path, "a data: URI must carry base64 data (data:<media type>;base64,...)");
      }
      return new DataUri(header[0].trim().toLowerCase(Locale.ROOT), data);
    }
  }

  private static ObjectNode toolCall(JsonNode node, String path) {
    ObjectNode call = F.object(node, path);
    String type = F.text(call.get("type"), path + ".type");
    if (!type.equals("function")) {
      throw ChatCompletionsException.invalidRequest(path + ".type", "only 'function' tool calls are supported",
          UNSUPPORTED_VALUE);
    }
    String id = toolUseId(F.nonEmptyText(call.get("id"), path + ".id"));
    ObjectNode function = F.object(call.get("function"), path + ".function");
    return toolUse(id, F.nonEmptyText(function.get("name"), path + ".function.name"), function.get("arguments"),
        path + ".function.arguments");
  }

  /** OpenAI carries a call's arguments as a JSON string, Anthropic as the object itself. */
  private static ObjectNode toolUse(String id, String name, JsonNode arguments, String argumentsPath) {
    ObjectNode input;
    String text = F.optionalText(arguments, argumentsPath);
    if (text == null || text.isBlank()) {
      input = NODES.objectNode(); // a call without arguments
    } else {
      input = F.parseObject(text.getBytes(StandardCharsets.UTF_8), "the arguments", argumentsPath);
    }
    ObjectNode block = NODES.objectNode().put("type", "tool_use").put("id", id).put("name", name);
    block.set("input", input);
    return block;
  }
}
