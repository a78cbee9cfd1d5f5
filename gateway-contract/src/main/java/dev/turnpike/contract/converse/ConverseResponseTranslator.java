package dev.turnpike.contract.converse;

import static dev.turnpike.contract.converse.JsonFields.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An Anthropic Messages response (a {@code message} object) to a Bedrock Converse response. Pure: no I/O.
 *
 * <p>Blocks: {@code text} to {@code text} (citations are dropped: Converse cites in a different block shape),
 * {@code tool_use} to {@code toolUse}, {@code thinking} to {@code reasoningContent.reasoningText} with its
 * signature, {@code redacted_thinking} to {@code reasoningContent.redactedContent} (a blob, so the bytes of
 * Anthropic's {@code data} in base64; {@link ConverseRequestTranslator} decodes them back). Any other block (server
 * tools, which a Converse request never enables) fails the answer. Stop reasons as in {@link StopReasons}.
 */
public final class ConverseResponseTranslator {
  private static final JsonFields F = JsonFields.UPSTREAM;

  private ConverseResponseTranslator() {}

  /** As {@link #fromAnthropic(Buffer, long)} with a latency of 0. */
  public static Buffer fromAnthropic(Buffer anthropicMessageJson) {
    return fromAnthropic(anthropicMessageJson, 0);
  }

  /**
   * @param latencyMs what {@code metrics.latencyMs} reports: the caller's measure of the upstream call
   * @throws ConverseException ({@code UPSTREAM_ERROR}) when the body is not an Anthropic message or holds a block
   *     Converse cannot carry
   */
  public static Buffer fromAnthropic(Buffer anthropicMessageJson, long latencyMs) {
    ObjectNode message = F.parseObject(anthropicMessageJson, "Anthropic message");
    JsonNode type = message.get("type");
    if (type != null && !"message".equals(type.textValue())) {
      throw F.fail("type", "expected 'message'");
    }
    ArrayNode content = F.array(message.get("content"), "content");
    ObjectNode out = NODES.objectNode();
    ObjectNode converseMessage = out.putObject("output").putObject("message").put("role", "assistant");
    ArrayNode blocks = converseMessage.putArray("content");
    for (int i = 0; i < content.size(); i++) {
      blocks.add(block(content.get(i), "content[" + i + "]"));
    }
    out.put("stopReason", StopReasons.fromAnthropic(message.path("stop_reason").textValue()));
    out.set("usage", ConverseUsage.toConverse(ConverseUsage.fromAnthropic(message.get("usage"), Usage.NONE)));
    out.putObject("metrics").put("latencyMs", latencyMs);
    return JsonFields.write(out);
  }

  private static ObjectNode block(JsonNode node, String path) {
    ObjectNode block = F.object(node, path);
    String type = F.text(block.get("type"), path + ".type");
    ObjectNode out = NODES.objectNode();
    switch (type) {
      case "text" -> out.put("text", F.text(block.get("text"), path + ".text"));
      case "tool_use" -> {
        ObjectNode toolUse = out.putObject("toolUse")
            .put("toolUseId", F.text(block.get("id"), path + ".id"))
            .put("name", F.text(block.get("name"), path + ".name"));
        toolUse.set("input", F.object(block.get("input"), path + ".input"));
      }
      case "thinking" -> {
        ObjectNode reasoningText = out.putObject("reasoningContent").putObject("reasoningText")
            .put("text", F.text(block.get("thinking"), path + ".thinking"));
        String signature = F.optionalText(block.get("signature"), path + ".signature");
        if (signature != null) {
          reasoningText.put("signature", signature);
        }
      }
      case "redacted_thinking" -> out.putObject("reasoningContent").put("redactedContent",
          redactedContent(F.text(block.get("data"), path + ".data")));
      default -> throw F.fail(path, "unsupported block " + JsonFields.quote(type));
    }
    return out;
  }

  /** Converse's {@code redactedContent} is a blob: base64 of the bytes of Anthropic's opaque string. */
  static String redactedContent(String anthropicData) {
    return Base64.getEncoder().encodeToString(anthropicData.getBytes(StandardCharsets.UTF_8));
  }
}
