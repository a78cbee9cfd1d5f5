package dev.turnpike.app.fakes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Cohere's v2 chat API accepts, as its API definition ({@code cohere-openapi.yaml}, path {@code /v2/chat},
 * see provider-verticles' {@code fixtures/cohere/SOURCES.md}) declares it, checked strictly so a translation that
 * merely looks right is refused: only the declared fields (at the top, per message role, per content part, per
 * tool), the declared enums and ranges, at most five stop sequences, tool names as Cohere documents them, every
 * tool call answered by {@code tool} messages right after it and no {@code tool} message without its call.
 */
final class CohereChatRules {
  private static final Set<String> REQUEST_FIELDS = Set.of("stream", "model", "messages", "tools", "strict_tools",
      "documents", "citation_options", "response_format", "safety_mode", "max_tokens", "stop_sequences",
      "temperature", "seed", "frequency_penalty", "presence_penalty", "k", "p", "logprobs", "tool_choice", "thinking",
      "priority");
  private static final Map<String, Set<String>> MESSAGE_FIELDS = Map.of(
      "user", Set.of("role", "content"),
      "assistant", Set.of("role", "tool_calls", "tool_plan", "content", "citations"),
      "system", Set.of("role", "content"),
      "tool", Set.of("role", "tool_call_id", "content"));
  /** "Valid names contain only the characters a-z, A-Z, 0-9, _ and must not begin with a digit." */
  private static final Pattern TOOL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
  private static final Pattern IMAGE_URL = Pattern.compile("^(https?://\\S+|data:image/[a-z+.-]+;base64,[A-Za-z0-9+/=]+)$");
  private static final int MAX_STOP_SEQUENCES = 5;

  private CohereChatRules() {}

  /** Why Cohere would refuse {@code body}, or null when it is acceptable. */
  static String problemWith(JsonObject body) {
    for (String field : body.fieldNames()) {
      if (!REQUEST_FIELDS.contains(field)) {
        return "unknown field '" + field + "'";
      }
    }
    if (!(body.getValue("model") instanceof String model) || model.isBlank()) {
      return "model must be a non-empty string";
    }
    if (body.containsKey("stream") && !(body.getValue("stream") instanceof Boolean)) {
      return "stream must be a boolean";
    }
    String problem = firstOf(numbers(body), stopSequences(body.getValue("stop_sequences")));
    if (problem != null) {
      return problem;
    }
    Set<String> toolNames = new HashSet<>();
    problem = tools(body.getValue("tools"), toolNames);
    if (problem != null) {
      return problem;
    }
    Object choice = body.getValue("tool_choice");
    if (choice != null && !(choice.equals("REQUIRED") || choice.equals("NONE"))) {
      return "tool_choice must be one of REQUIRED, NONE";
    }
    if (choice != null && toolNames.isEmpty()) {
      return "tool_choice is only supported with tools";
    }
    return messages(body.getValue("messages"));
  }

  private static String numbers(JsonObject body) {
    if (body.containsKey("max_tokens") && !(body.getValue("max_tokens") instanceof Integer
        || body.getValue("max_tokens") instanceof Long) || body.getLong("max_tokens", 1L) < 1) {
      return "max_tokens must be a positive integer";
    }
    return firstOf(range(body, "temperature", 0, 1), range(body, "p", 0.01, 0.99), range(body, "k", 0, 500),
        body.containsKey("k") && !(body.getValue("k") instanceof Integer) ? "k must be an integer" : null);
  }

  private static String range(JsonObject body, String field, double min, double max) {
    if (!body.containsKey(field)) {
      return null;
    }
    if (!(body.getValue(field) instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
      return field + " must be a number between " + min + " and " + max;
    }
    return null;
  }

  private static String stopSequences(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray list) || !list.stream().allMatch(s -> s instanceof String)) {
      return "stop_sequences must be a list of strings";
    }
    return list.size() > MAX_STOP_SEQUENCES ? "stop_sequences can have at most " + MAX_STOP_SEQUENCES + " items" : null;
  }

  private static String tools(Object value, Set<String> names) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray tools)) {
      return "tools must be a list";
    }
    for (Object item : tools) {
      if (!(item instanceof JsonObject tool) || !"function".equals(tool.getValue("type"))
          || !Set.of("type", "function").containsAll(tool.fieldNames())
          || !(tool.getValue("function") instanceof JsonObject function)) {
        return "each tool must be {\"type\": \"function\", \"function\": {...}}";
      }
      if (!Set.of("name", "description", "parameters").containsAll(function.fieldNames())) {
        return "unknown field in tool function: " + function.fieldNames();
      }
      if (!(function.getValue("name") instanceof String name) || !TOOL_NAME.matcher(name).matches()) {
        return "invalid tool name '" + function.getValue("name") + "': valid names contain only the characters "
            + "a-z, A-Z, 0-9, _ and must not begin with a digit";
      }
      if (!names.add(name)) {
        return "duplicate tool name '" + name + "'";
      }
      if (!(function.getValue("parameters") instanceof JsonObject)) {
        return "tool '" + name + "' must have parameters as a JSON schema object";
      }
      if (function.containsKey("description") && !(function.getValue("description") instanceof String)) {
        return "tool '" + name + "' description must be a string";
      }
    }
    return null;
  }

  private static String messages(Object value) {
    if (!(value instanceof JsonArray messages) || messages.isEmpty()) {
      return "messages must be a non-empty list";
    }
    Set<String> open = new HashSet<>(); // calls of the latest assistant turn not yet answered
    boolean inToolTurn = false;
    for (int i = 0; i < messages.size(); i++) {
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        return "messages[" + i + "] must be an object";
      }
      String where = "messages[" + i + "]";
      Object role = message.getValue("role");
      Set<String> fields = role instanceof String r ? MESSAGE_FIELDS.get(r) : null;
      if (fields == null) {
        return where + ".role must be one of user, assistant, system, tool, not " + role;
      }
      for (String field : message.fieldNames()) {
        if (!fields.contains(field)) {
          return where + ": unknown field '" + field + "' for a " + role + " message";
        }
      }
      if (!"tool".equals(role) && !open.isEmpty()) {
        return where + ": tool calls " + open + " have no tool message answering them";
      }
      String problem = switch ((String) role) {
        case "user" -> userContent(message.getValue("content"), where);
        case "system" -> textContent(message.getValue("content"), where);
        case "assistant" -> assistant(message, where, open);
        default -> toolMessage(message, where, open, inToolTurn);
      };
      if (problem != null) {
        return problem;
      }
      inToolTurn = "tool".equals(role) || "assistant".equals(role) && message.containsKey("tool_calls");
    }
    return open.isEmpty() ? null : "tool calls " + open + " have no tool message answering them";
  }

  private static String assistant(JsonObject message, String where, Set<String> open) {
    if (message.containsKey("tool_plan") && !(message.getValue("tool_plan") instanceof String)) {
      return where + ".tool_plan must be a string";
    }
    Object calls = message.getValue("tool_calls");
    if (calls == null && message.getValue("content") == null) {
      return where + ": an assistant message needs content or tool_calls";
    }
    if (message.containsKey("content")) {
      String problem = assistantContent(message.getValue("content"), where);
      if (problem != null) {
        return problem;
      }
    }
    if (calls == null) {
      return null;
    }
    if (!(calls instanceof JsonArray list) || list.isEmpty()) {
      return where + ".tool_calls must be a non-empty list";
    }
    for (Object item : list) {
      if (!(item instanceof JsonObject call) || !Set.of("id", "type", "function").containsAll(call.fieldNames())
          || !(call.getValue("id") instanceof String id) || id.isEmpty() || !"function".equals(call.getValue("type"))
          || !(call.getValue("function") instanceof JsonObject function)
          || !Set.of("name", "arguments").containsAll(function.fieldNames())
          || !(function.getValue("name") instanceof String) || !(function.getValue("arguments") instanceof String args)) {
        return where + ".tool_calls: each call must be {id, type: function, function: {name, arguments}}";
      }
      try {
        new JsonObject(args);
      } catch (RuntimeException e) { // not JSON, or JSON but not an object
        return where + ".tool_calls: arguments of " + id + " must be a JSON object string";
      }
      if (!open.add(id)) {
        return where + ".tool_calls: duplicate id " + id;
      }
    }
    return null;
  }

  private static String toolMessage(JsonObject message, String where, Set<String> open, boolean inToolTurn) {
    if (!(message.getValue("tool_call_id") instanceof String id) || id.isEmpty()) {
      return where + ".tool_call_id must be a non-empty string";
    }
    if (!inToolTurn || !open.remove(id)) {
      return where + ": tool message for " + id + " does not answer a tool call of the assistant message before it";
    }
    Object content = message.getValue("content");
    if (content instanceof String text) {
      return text.isEmpty() ? where + ".content must not be empty" : null;
    }
    if (!(content instanceof JsonArray parts) || parts.isEmpty()) {
      return where + ".content must be a string or a non-empty list";
    }
    for (Object item : parts) {
      if (item instanceof JsonObject part && "text".equals(part.getValue("type"))
          && Set.of("type", "text").equals(part.fieldNames()) && part.getValue("text") instanceof String) {
        continue;
      }
      if (item instanceof JsonObject part && "document".equals(part.getValue("type"))
          && Set.of("type", "document").equals(part.fieldNames()) && part.getValue("document") instanceof JsonObject) {
        continue;
      }
      return where + ".content: each part must be {type: text, text} or {type: document, document}";
    }
    return null;
  }

  private static String userContent(Object content, String where) {
    if (content instanceof String text) {
      return text.isEmpty() ? where + ".content must not be empty" : null;
    }
    if (!(content instanceof JsonArray parts) || parts.isEmpty()) {
      return where + ".content must be a string or a non-empty list";
    }
    for (Object item : parts) {
      if (!(item instanceof JsonObject part)) {
        return where + ".content: each part must be an object";
      }
      String problem = switch (String.valueOf(part.getValue("type"))) {
        case "text" -> Set.of("type", "text").equals(part.fieldNames()) && part.getValue("text") instanceof String t
            && !t.isEmpty() ? null : where + ".content: a text part is {type: text, text} with some text";
        case "image_url" -> imageUrl(part, where);
        default -> where + ".content: part type must be text or image_url, not " + part.getValue("type");
      };
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String imageUrl(JsonObject part, String where) {
    if (!Set.of("type", "image_url").equals(part.fieldNames())
        || !(part.getValue("image_url") instanceof JsonObject image)
        || !Set.of("url", "detail").containsAll(image.fieldNames())
        || !(image.getValue("url") instanceof String url) || !IMAGE_URL.matcher(url).matches()) {
      return where + ".content: an image_url part is {type: image_url, image_url: {url}} with a web URL or a "
          + "base64 data URI";
    }
    return null;
  }

  private static String assistantContent(Object content, String where) {
    if (content instanceof String) {
      return null;
    }
    if (!(content instanceof JsonArray parts)) {
      return where + ".content must be a string or a list";
    }
    for (Object item : parts) {
      boolean ok = item instanceof JsonObject part && ("text".equals(part.getValue("type"))
          && Set.of("type", "text").equals(part.fieldNames()) && part.getValue("text") instanceof String
          || "thinking".equals(part.getValue("type")) && Set.of("type", "thinking").equals(part.fieldNames()));
      if (!ok) {
        return where + ".content: each part must be {type: text, text} or {type: thinking, thinking}";
      }
    }
    return null;
  }

  private static String textContent(Object content, String where) {
    if (content instanceof String text) {
      return text.isEmpty() ? where + ".content must not be empty" : null;
    }
    if (content instanceof JsonArray parts && !parts.isEmpty() && parts.stream().allMatch(p -> p instanceof JsonObject
        part && "text".equals(part.getValue("type")) && Set.of("type", "text").equals(part.fieldNames()))) {
      return null;
    }
    return where + ".content must be a string or a list of text parts";
  }

  private static String firstOf(String... problems) {
    for (String problem : problems) {
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }
}
