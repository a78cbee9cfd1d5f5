package dev.turnpike.contract.openai;

import static dev.turnpike.contract.openai.ChatJson.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * An Anthropic Messages response (a {@code message} object) to an OpenAI {@code chat.completion}. Pure: no I/O.
 *
 * <p>The one choice's {@code message.content} is the text blocks joined (null when the answer is only tool calls,
 * as OpenAI has it); each {@code tool_use} block is a {@code tool_calls} entry whose {@code arguments} is its input
 * as a JSON string (for the deprecated functions: the first one is {@code function_call}). Thinking, redacted
 * thinking and any other block are left out: Chat Completions has no place for them. Finish reasons as
 * {@link FinishReasons} has them; usage as {@link ChatUsage}.
 */
public final class ChatCompletionsResponseTranslator {
  private static final ChatJson F = ChatJson.UPSTREAM;

  private ChatCompletionsResponseTranslator() {}

  /**
   * @throws ChatCompletionsException ({@code UPSTREAM_ERROR}) when the body is not an Anthropic message
   */
  public static Buffer fromAnthropic(Buffer anthropicMessageJson, ChatCompletionMeta meta,
                                     ChatAnswerOptions options) {
    ObjectNode message = F.parseObject(anthropicMessageJson, "Anthropic message");
    JsonNode type = message.get("type");
    if (type != null && !"message".equals(type.textValue())) {
      throw F.fail("type", "expected 'message'");
    }
    ArrayNode content = F.array(message.get("content"), "content");
    StringBuilder text = new StringBuilder();
    ArrayNode toolCalls = NODES.arrayNode();
    for (int i = 0; i < content.size(); i++) {
      String path = "content[" + i + "]";
      ObjectNode block = F.object(content.get(i), path);
      switch (F.text(block.get("type"), path + ".type")) {
        case "text" -> text.append(F.text(block.get("text"), path + ".text"));
        case "tool_use" -> toolCalls.add(toolCall(block, path));
        default -> { } // thinking, redacted_thinking, server tool blocks: not part of a chat completion
      }
    }
    ObjectNode out = NODES.objectNode()
        .put("id", meta.id())
        .put("object", "chat.completion")
        .put("created", meta.created())
        .put("model", model(message.get("model"), meta));
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode answer = choice.putObject("message").put("role", "assistant");
    if (text.isEmpty() && !toolCalls.isEmpty()) {
      answer.putNull("content");
    } else {
      answer.put("content", text.toString());
    }
    answer.putNull("refusal");
    if (!toolCalls.isEmpty()) {
      if (options.legacyFunctions()) {
        answer.set("function_call", toolCalls.get(0).get("function"));
      } else {
        answer.set("tool_calls", toolCalls);
      }
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", FinishReasons.fromAnthropic(message.path("stop_reason").textValue(),
        options.legacyFunctions()));
    out.set("usage", ChatUsage.toOpenAi(ChatUsage.fromAnthropic(message.get("usage"), Usage.NONE)));
    return ChatJson.write(out);
  }

  private static ObjectNode toolCall(ObjectNode block, String path) {
    ObjectNode call = NODES.objectNode()
        .put("id", F.nonEmptyText(block.get("id"), path + ".id"))
        .put("type", "function");
    call.putObject("function")
        .put("name", F.nonEmptyText(block.get("name"), path + ".name"))
        .put("arguments", ChatJson.write(F.object(block.get("input"), path + ".input")).toString());
    return call;
  }

  /** The model the upstream names (a dated snapshot, as OpenAI reports one), else the one asked for. */
  static String model(JsonNode model, ChatCompletionMeta meta) {
    return model != null && model.isTextual() && !model.textValue().isEmpty() ? model.textValue()
        : meta.requestedModel();
  }
}
