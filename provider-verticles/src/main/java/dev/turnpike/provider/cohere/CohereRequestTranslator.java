package dev.turnpike.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.provider.anthropic.AnthropicRequestParts;
import dev.turnpike.provider.openai.ChatMessageParts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Anthropic Messages request to a Cohere v2 chat request ({@code POST /v2/chat}). Pure: no I/O, the input is
 * not modified.
 *
 * <p>Decisions, each for a reason:
 * <ul>
 *   <li>Text an assistant turn carries next to its tool calls becomes that message's {@code tool_plan}: that is
 *   where Cohere puts (and expects back) the words before a tool call; a turn without tool calls keeps its text
 *   as {@code content}.</li>
 *   <li>{@code tool_result} blocks become {@code tool} messages placed right after the assistant message whose
 *   call they answer, with their text as {@code text} content blocks. Cohere has no error flag, so an error
 *   result starts with {@value #TOOL_ERROR_PREFIX}; a result without any text says {@value #EMPTY_TOOL_RESULT}
 *   so the model still sees that the call ran. Images a tool returned cannot go in a tool message: they follow
 *   in a user message. A result whose call is not right before it (edited history) becomes user text.</li>
 *   <li>{@code role:"system"} entries inside {@code messages} stay in place as {@code system} messages, but never
 *   between a tool call and its results.</li>
 *   <li>Images become {@code image_url} parts (a {@code data:} URI for base64). Cohere's chat reads no PDF: a
 *   base64 document becomes a short note saying it was left out; text documents are sent as text.</li>
 *   <li>{@code tool_choice}: {@code any} and a named {@code tool} become {@code REQUIRED} (Cohere cannot name
 *   the tool), {@code none} becomes {@code NONE}, {@code auto} is Cohere's default and sent as nothing.</li>
 *   <li>{@code top_p} and {@code top_k} become {@code p} and {@code k}, clamped to Cohere's ranges; at most
 *   {@value #MAX_STOP_SEQUENCES} stop sequences are sent, as Cohere allows.</li>
 *   <li>Dropped: the {@code x-anthropic-billing-header} system block Claude Code sends first (its value changes
 *   with every CLI build, so as the first bytes of the prompt it would defeat Cohere's prompt cache), thinking
 *   (the parameter and history blocks: Cohere's reasoning models think by default, and Anthropic signatures mean
 *   nothing there), {@code cache_control}, server tools, {@code metadata} and Anthropic-only fields.</li>
 * </ul>
 */
public final class CohereRequestTranslator {
  static final String TOOL_ERROR_PREFIX = "[tool error] ";
  static final String EMPTY_TOOL_RESULT = "(no output)";
  static final int MAX_STOP_SEQUENCES = 5;
  private static final int MAX_TOP_K = 500;
  private static final double MIN_P = 0.01;
  private static final double MAX_P = 0.99;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CohereRequestTranslator() {}

  public static ObjectNode toCohereChat(JsonNode anthropicRequest, String upstreamModel, CohereToolNames names) {
    if (anthropicRequest == null || !anthropicRequest.isObject()) {
      throw new IllegalArgumentException("request must be a JSON object");
    }
    ObjectNode out = NODES.objectNode();
    out.put("model", upstreamModel);
    out.set("messages", messages(anthropicRequest, names));
    ArrayNode tools = ChatMessageParts.functionTools(anthropicRequest.path("tools"), names::toCohere);
    if (!tools.isEmpty()) {
      out.set("tools", tools);
      toolChoice(anthropicRequest.path("tool_choice"), out);
    }
    JsonNode maxTokens = anthropicRequest.path("max_tokens");
    if (maxTokens.isIntegralNumber()) {
      out.put("max_tokens", maxTokens.asLong());
    }
    ArrayNode stop = ChatMessageParts.firstStrings(anthropicRequest.path("stop_sequences"), MAX_STOP_SEQUENCES);
    if (!stop.isEmpty()) {
      out.set("stop_sequences", stop);
    }
    JsonNode temperature = anthropicRequest.path("temperature");
    if (temperature.isNumber()) {
      out.put("temperature", Math.min(1.0, Math.max(0.0, temperature.asDouble())));
    }
    JsonNode topP = anthropicRequest.path("top_p");
    if (topP.isNumber()) {
      out.put("p", Math.min(MAX_P, Math.max(MIN_P, topP.asDouble())));
    }
    JsonNode topK = anthropicRequest.path("top_k");
    if (topK.isNumber()) {
      out.put("k", Math.min(MAX_TOP_K, Math.max(0, topK.asInt())));
    }
    JsonNode stream = anthropicRequest.path("stream");
    if (stream.isBoolean()) {
      out.put("stream", stream.asBoolean());
    }
    return out;
  }

  // ---- messages ----

  private static ArrayNode messages(JsonNode request, CohereToolNames names) {
    ArrayNode out = NODES.arrayNode();
    String system = AnthropicRequestParts.systemText(request.path("system"), true);
    if (!system.isEmpty()) {
      out.add(ChatMessageParts.textMessage("system", system));
    }
    ToolTurn turn = new ToolTurn();
    for (JsonNode message : request.path("messages")) {
      JsonNode content = message.path("content");
      switch (message.path("role").asText()) {
        case "system" -> {
          String text = AnthropicRequestParts.systemText(content, false);
          if (!text.isEmpty()) {
            // after any tool messages still to come: see ToolTurn
            out.add(ChatMessageParts.textMessage("system", text));
          }
        }
        case "assistant" -> assistant(content, names, out, turn);
        default -> user(content, out, turn);
      }
    }
    return out;
  }

  /** Where the tool messages answering the latest assistant tool calls go, and which ids they may answer. */
  private static final class ToolTurn {
    int insertAt = -1;
    final Set<String> callIds = new HashSet<>();

    void reset() {
      insertAt = -1;
      callIds.clear();
    }
  }

  private static void assistant(JsonNode content, CohereToolNames names, ArrayNode out, ToolTurn turn) {
    StringBuilder text = new StringBuilder();
    ArrayNode toolCalls = NODES.arrayNode();
    if (content.isTextual()) {
      text.append(content.asText());
    }
    for (JsonNode block : content.isArray() ? content : NODES.arrayNode()) {
      switch (block.path("type").asText()) {
        case "text" -> appendLine(text, block.path("text").asText());
        case "tool_use" -> {
          toolCalls.add(ChatMessageParts.functionCall(block, names::toCohere));
        }
        default -> { } // thinking, redacted_thinking, server tool blocks: nothing Cohere can take
      }
    }
    turn.reset();
    if (text.isEmpty() && toolCalls.isEmpty()) {
      return;
    }
    ObjectNode message = out.addObject();
    message.put("role", "assistant");
    if (toolCalls.isEmpty()) {
      message.put("content", text.toString());
      return;
    }
    if (!text.isEmpty()) {
      message.put("tool_plan", text.toString());
    }
    message.set("tool_calls", toolCalls);
    turn.insertAt = out.size();
    toolCalls.forEach(call -> turn.callIds.add(call.path("id").asText()));
  }

  private static void user(JsonNode content, ArrayNode out, ToolTurn turn) {
    List<ObjectNode> parts = new ArrayList<>();
    List<ObjectNode> toolImages = new ArrayList<>();
    if (content.isTextual() && !content.asText().isEmpty()) {
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
    List<String> texts = new ArrayList<>();
    JsonNode content = block.path("content");
    int images = 0;
    if (content.isTextual() && !content.asText().isEmpty()) {
      texts.add(content.asText());
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
        if (!item.path("text").asText().isEmpty()) {
          texts.add(item.path("text").asText());
        }
      } else {
        texts.add(AnthropicRequestParts.withoutCacheControl(item).toString());
      }
    }
    if (texts.isEmpty()) {
      texts.add(EMPTY_TOOL_RESULT);
    }
    if (block.path("is_error").asBoolean(false)) {
      texts.set(0, TOOL_ERROR_PREFIX + texts.get(0));
    }
    if (turn.insertAt >= 0 && turn.callIds.contains(id)) {
      ObjectNode message = NODES.objectNode();
      message.put("role", "tool");
      message.put("tool_call_id", id);
      ArrayNode blocks = message.putArray("content");
      texts.forEach(text -> blocks.add(ChatMessageParts.textPart(text)));
      out.insert(turn.insertAt++, message);
    } else {
      // No matching tool call right before (history was edited): Cohere would refuse a tool message here.
      parts.add(ChatMessageParts.textPart("Result of tool call " + id + ":\n" + String.join("\n", texts)));
    }
  }

  private static ObjectNode userPart(JsonNode block) {
    return switch (block.path("type").asText()) {
      case "text" -> block.path("text").asText().isEmpty() ? null
          : ChatMessageParts.textPart(block.path("text").asText());
      case "image" -> imagePart(block.path("source"));
      case "document" -> documentPart(block);
      case "thinking", "redacted_thinking" -> null;
      default -> block.path("text").isTextual() ? ChatMessageParts.textPart(block.path("text").asText()) : null;
    };
  }

  private static ObjectNode imagePart(JsonNode source) {
    String url = switch (source.path("type").asText()) {
      case "base64" -> "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText();
      case "url" -> source.path("url").asText();
      default -> null; // a Files API id means nothing outside Anthropic
    };
    if (url == null || url.isEmpty()) {
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
    return switch (source.path("type").asText()) {
      case "text" -> ChatMessageParts.textPart(source.path("data").asText());
      case "content" -> {
        StringBuilder text = new StringBuilder();
        source.path("content").forEach(item -> appendLine(text, item.path("text").asText()));
        yield text.isEmpty() ? null : ChatMessageParts.textPart(text.toString());
      }
      case "url" -> ChatMessageParts.textPart("Document: " + source.path("url").asText());
      case "base64" -> ChatMessageParts.textPart("[Document '" + title + "' ("
          + source.path("media_type").asText("application/pdf") + ") was left out: this model cannot read it]");
      default -> null;
    };
  }

  // ---- system ----

  // ---- tools ----

  private static void toolChoice(JsonNode choice, ObjectNode out) {
    switch (choice.path("type").asText()) {
      case "any", "tool" -> out.put("tool_choice", "REQUIRED");
      case "none" -> out.put("tool_choice", "NONE");
      default -> { } // auto, or nothing said: Cohere's default
    }
  }

  // ---- helpers ----

  private static void appendLine(StringBuilder text, String line) {
    if (line.isEmpty()) {
      return;
    }
    if (!text.isEmpty()) {
      text.append('\n');
    }
    text.append(line);
  }
}
