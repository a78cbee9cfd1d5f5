package dev.turnpike.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.provider.anthropic.AnthropicRequestParts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Anthropic Messages request to OpenAI Chat Completions request. Pure: no I/O, the input is not modified.
 *
 * <p>Decisions, each for a reason:
 * <ul>
 *   <li>The {@code x-anthropic-billing-header: cc_version=...} system block Claude Code sends first is dropped:
 *   it is Anthropic billing attribution, meaningless to another vendor, and its value changes with every CLI
 *   build, so as the first bytes of the prompt it would defeat OpenAI's prefix-based prompt caching.</li>
 *   <li>{@code role:"system"} entries inside {@code messages} stay where they are, as {@code system} messages,
 *   except that they never separate an assistant's {@code tool_calls} from their {@code tool} answers (OpenAI
 *   rejects that): tool messages are placed right after the assistant message.</li>
 *   <li>A {@code tool_result} with {@code is_error:true} becomes a tool message whose content starts with
 *   {@value #TOOL_ERROR_PREFIX}: Chat Completions has no error flag, and the model must still see the failure.</li>
 *   <li>{@code max_tokens} goes to {@code max_completion_tokens} by default: OpenAI deprecated {@code max_tokens}
 *   and its reasoning models reject it. Servers that only know {@code max_tokens} select
 *   {@link MaxTokensField#MAX_TOKENS}.</li>
 *   <li>Thinking is Anthropic's: the {@code thinking} parameter and {@code thinking}/{@code redacted_thinking}
 *   history blocks are dropped (their signatures mean nothing elsewhere). So are {@code cache_control}, server
 *   tools (web search and friends run on Anthropic's side), and Anthropic-only fields such as
 *   {@code context_management}, {@code output_config}, {@code top_k}.</li>
 *   <li>{@code metadata.user_id} becomes {@code user}; longer than 64 characters (Claude Code sends a JSON
 *   object there) it is replaced by its SHA-256, stable per user and free of the device id.</li>
 * </ul>
 */
public final class OpenAiRequestTranslator {
  static final String TOOL_ERROR_PREFIX = "[tool error] ";
  /** Chat Completions accepts at most four stop sequences. */
  private static final int MAX_STOP_SEQUENCES = 4;
  private static final int MAX_USER_CHARS = 64;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Which request field carries Anthropic's {@code max_tokens}. */
  public enum MaxTokensField {
    /** OpenAI's current field, required by its reasoning models. */
    MAX_COMPLETION_TOKENS("max_completion_tokens"),
    /** The older field, for compatible servers that do not know the new one. */
    MAX_TOKENS("max_tokens");

    private final String wireName;

    MaxTokensField(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  private OpenAiRequestTranslator() {}

  public static ObjectNode toChatCompletions(JsonNode anthropicRequest, String upstreamModel, ToolNameMapper names) {
    return toChatCompletions(anthropicRequest, upstreamModel, names, MaxTokensField.MAX_COMPLETION_TOKENS);
  }

  public static ObjectNode toChatCompletions(JsonNode anthropicRequest, String upstreamModel, ToolNameMapper names,
                                             MaxTokensField maxTokensField) {
    if (anthropicRequest == null || !anthropicRequest.isObject()) {
      throw new IllegalArgumentException("request must be a JSON object");
    }
    ObjectNode out = NODES.objectNode();
    out.put("model", upstreamModel);
    out.set("messages", messages(anthropicRequest, names));

    ArrayNode tools = ChatMessageParts.functionTools(anthropicRequest.path("tools"), names::toOpenAi);
    if (!tools.isEmpty()) {
      out.set("tools", tools);
      toolChoice(anthropicRequest.path("tool_choice"), names, out);
    }
    JsonNode maxTokens = anthropicRequest.path("max_tokens");
    if (maxTokens.isIntegralNumber()) {
      out.put(maxTokensField.wireName(), maxTokens.asLong());
    }
    ArrayNode stop = ChatMessageParts.firstStrings(anthropicRequest.path("stop_sequences"), MAX_STOP_SEQUENCES);
    if (!stop.isEmpty()) {
      out.set("stop", stop);
    }
    copyNumber(anthropicRequest, "temperature", out);
    copyNumber(anthropicRequest, "top_p", out);
    JsonNode stream = anthropicRequest.path("stream");
    if (stream.isBoolean()) {
      out.put("stream", stream.asBoolean());
      if (stream.asBoolean()) {
        out.putObject("stream_options").put("include_usage", true);
      }
    }
    JsonNode userId = anthropicRequest.path("metadata").path("user_id");
    if (userId.isTextual() && !userId.asText().isEmpty()) {
      String user = userId.asText();
      out.put("user", user.length() <= MAX_USER_CHARS ? user : sha256(user));
    }
    return out;
  }

  // ---- messages ----

  private static ArrayNode messages(JsonNode request, ToolNameMapper names) {
    ArrayNode out = NODES.arrayNode();
    String system = AnthropicRequestParts.systemText(request.path("system"), true);
    if (!system.isEmpty()) {
      out.add(ChatMessageParts.textMessage("system", system));
    }
    ToolTurn turn = new ToolTurn();
    for (JsonNode message : request.path("messages")) {
      String role = message.path("role").asText();
      JsonNode content = message.path("content");
      switch (role) {
        case "system" -> {
          String text = AnthropicRequestParts.systemText(content, false);
          if (!text.isEmpty()) {
            out.add(ChatMessageParts.textMessage("system", text));
          }
        }
        case "assistant" -> assistant(content, names, out, turn);
        default -> user(content, out, turn);
      }
    }
    return out;
  }

  /** Where the tool answers to the latest assistant {@code tool_calls} go, and which ids they may answer. */
  private static final class ToolTurn {
    int insertAt = -1;
    final Set<String> callIds = new HashSet<>();

    void reset() {
      insertAt = -1;
      callIds.clear();
    }
  }

  private static void assistant(JsonNode content, ToolNameMapper names, ArrayNode out, ToolTurn turn) {
    StringBuilder text = new StringBuilder();
    ArrayNode toolCalls = NODES.arrayNode();
    if (content.isTextual()) {
      text.append(content.asText());
    }
    for (JsonNode block : content.isArray() ? content : NODES.arrayNode()) {
      switch (block.path("type").asText()) {
        case "text" -> appendLine(text, block.path("text").asText());
        case "tool_use" -> {
          toolCalls.add(ChatMessageParts.functionCall(block, names::toOpenAi));
        }
        default -> { } // thinking, redacted_thinking, server tool blocks: nothing OpenAI can take
      }
    }
    turn.reset();
    if (text.isEmpty() && toolCalls.isEmpty()) {
      return;
    }
    ObjectNode message = out.addObject();
    message.put("role", "assistant");
    if (text.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text.toString());
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
      turn.insertAt = out.size();
      toolCalls.forEach(call -> turn.callIds.add(call.path("id").asText()));
    }
  }

  private static void user(JsonNode content, ArrayNode out, ToolTurn turn) {
    List<ObjectNode> parts = new ArrayList<>();
    List<ObjectNode> toolImages = new ArrayList<>();
    if (content.isTextual()) {
      parts.add(ChatMessageParts.textPart(content.asText()));
    }
    for (JsonNode block : content.isArray() ? content : NODES.arrayNode()) {
      if ("tool_result".equals(block.path("type").asText())) {
        toolResult(block, out, turn, parts, toolImages);
      } else {
        ObjectNode part = userPart(block);
        if (part != null) {
          parts.add(part);
        }
      }
    }
    // Tool messages carry text only; images a tool returned follow in the user message of the same turn.
    parts.addAll(0, toolImages);
    if (parts.isEmpty()) {
      return;
    }
    ObjectNode message = out.addObject();
    message.put("role", "user");
    if (parts.size() == 1 && "text".equals(parts.get(0).path("type").asText())) {
      message.put("content", parts.get(0).path("text").asText());
    } else {
      parts.forEach(message.putArray("content")::add);
    }
    turn.reset();
  }

  private static void toolResult(JsonNode block, ArrayNode out, ToolTurn turn, List<ObjectNode> parts,
                                 List<ObjectNode> toolImages) {
    String id = block.path("tool_use_id").asText();
    StringBuilder text = new StringBuilder();
    JsonNode content = block.path("content");
    int images = 0;
    if (content.isTextual()) {
      text.append(content.asText());
    }
    for (JsonNode item : content.isArray() ? content : NODES.arrayNode()) {
      String type = item.path("type").asText();
      if ("image".equals(type)) {
        ObjectNode image = imagePart(item.path("source"));
        if (image != null) {
          if (images++ == 0) {
            toolImages.add(ChatMessageParts.textPart("Image(s) returned by tool call " + id + ":"));
          }
          toolImages.add(image);
        }
      } else if ("text".equals(type)) {
        appendLine(text, item.path("text").asText());
      } else {
        appendLine(text, AnthropicRequestParts.withoutCacheControl(item).toString());
      }
    }
    String result = block.path("is_error").asBoolean(false) ? TOOL_ERROR_PREFIX + text : text.toString();
    if (turn.insertAt >= 0 && turn.callIds.contains(id)) {
      ObjectNode message = NODES.objectNode();
      message.put("role", "tool");
      message.put("tool_call_id", id);
      message.put("content", result);
      out.insert(turn.insertAt++, message);
    } else {
      // No matching tool_calls right before (history was edited): OpenAI would refuse a tool message here.
      parts.add(ChatMessageParts.textPart("Result of tool call " + id + ":\n" + result));
    }
  }

  private static ObjectNode userPart(JsonNode block) {
    switch (block.path("type").asText()) {
      case "text":
        return ChatMessageParts.textPart(block.path("text").asText());
      case "image":
        return imagePart(block.path("source"));
      case "document":
        return documentPart(block);
      case "thinking":
      case "redacted_thinking":
        return null;
      default:
        return block.path("text").isTextual() ? ChatMessageParts.textPart(block.path("text").asText()) : null;
    }
  }

  private static ObjectNode imagePart(JsonNode source) {
    String url = switch (source.path("type").asText()) {
      case "base64" -> "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText();
      case "url" -> source.path("url").asText();
      default -> null; // a Files API id means nothing outside Anthropic
    };
    if (url == null) {
      return null;
    }
    ObjectNode part = NODES.objectNode();
    part.put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  private static ObjectNode documentPart(JsonNode block) {
    JsonNode source = block.path("source");
    String title = block.path("title").asText("document");
    switch (source.path("type").asText()) {
      case "base64": {
        ObjectNode part = NODES.objectNode();
        part.put("type", "file");
        ObjectNode file = part.putObject("file");
        file.put("filename", title.endsWith(".pdf") ? title : title + ".pdf");
        file.put("file_data", "data:" + source.path("media_type").asText("application/pdf") + ";base64,"
            + source.path("data").asText());
        return part;
      }
      case "text":
        return ChatMessageParts.textPart(source.path("data").asText());
      case "url":
        return ChatMessageParts.textPart("Document: " + source.path("url").asText());
      default:
        return null;
    }
  }

  // ---- system ----

  // ---- tools ----

  private static void toolChoice(JsonNode choice, ToolNameMapper names, ObjectNode out) {
    if (!choice.isObject()) {
      return;
    }
    switch (choice.path("type").asText()) {
      case "auto" -> out.put("tool_choice", "auto");
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" -> out.putObject("tool_choice").put("type", "function")
          .putObject("function").put("name", names.toOpenAi(choice.path("name").asText()));
      default -> { }
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      out.put("parallel_tool_calls", false);
    }
  }

  // ---- helpers ----

  private static void copyNumber(JsonNode from, String field, ObjectNode to) {
    JsonNode value = from.path(field);
    if (value.isNumber()) {
      to.set(field, value);
    }
  }

  private static void appendLine(StringBuilder text, String line) {
    if (!text.isEmpty()) {
      text.append('\n');
    }
    text.append(line);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
