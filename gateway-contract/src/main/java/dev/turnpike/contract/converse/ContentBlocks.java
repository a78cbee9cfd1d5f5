package dev.turnpike.contract.converse;

import static dev.turnpike.contract.converse.JsonFields.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Converse content blocks (a union keyed by member name) to Anthropic content blocks (tagged by {@code type}), for
 * message content, system prompts and tool results.
 *
 * <p>A {@code cachePoint} is not a block in Anthropic's form: it becomes {@code cache_control} on the block before
 * it in the same list, which marks the same prefix end.
 */
final class ContentBlocks {
  private static final JsonFields F = JsonFields.REQUEST;

  private static final Set<String> MESSAGE_BLOCKS = Set.of("text", "image", "document", "toolUse", "toolResult",
      "reasoningContent", "cachePoint",
      // known to Converse, with no Anthropic Messages counterpart this gateway can produce:
      "video", "audio", "guardContent", "citationsContent", "searchResult", "toolAddition", "toolRemoval");
  private static final Set<String> SYSTEM_BLOCKS = Set.of("text", "cachePoint", "guardContent");
  private static final Set<String> TOOL_RESULT_BLOCKS = Set.of("text", "json", "image", "document", "video",
      "searchResult");
  private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");
  /** Converse document formats whose bytes are text; Anthropic takes them as a plain-text document. */
  private static final Set<String> TEXT_DOCUMENT_FORMATS = Set.of("txt", "md", "csv", "html");

  private ContentBlocks() {}

  static ArrayNode messageContent(ArrayNode blocks, String path) {
    ArrayNode out = NODES.arrayNode(blocks.size());
    for (int i = 0; i < blocks.size(); i++) {
      String at = path + "[" + i + "]";
      JsonNode block = blocks.get(i);
      String member = F.unionMember(block, at, "block", MESSAGE_BLOCKS);
      JsonNode value = block.get(member);
      String valuePath = at + "." + member;
      switch (member) {
        case "text" -> out.add(text(F.text(value, valuePath)));
        case "image" -> out.add(image(value, valuePath));
        case "document" -> out.add(document(value, valuePath));
        case "toolUse" -> out.add(toolUse(value, valuePath));
        case "toolResult" -> out.add(toolResult(value, valuePath));
        case "reasoningContent" -> out.add(reasoning(value, valuePath));
        case "cachePoint" -> markCachePoint(out, value, valuePath);
        default -> throw F.fail(at, "unsupported block " + JsonFields.quote(member));
      }
    }
    return out;
  }

  static ArrayNode system(ArrayNode blocks, String path) {
    ArrayNode out = NODES.arrayNode(blocks.size());
    for (int i = 0; i < blocks.size(); i++) {
      String at = path + "[" + i + "]";
      JsonNode block = blocks.get(i);
      String member = F.unionMember(block, at, "block", SYSTEM_BLOCKS);
      switch (member) {
        case "text" -> out.add(text(F.text(block.get(member), at + ".text")));
        case "cachePoint" -> markCachePoint(out, block.get(member), at + ".cachePoint");
        default -> throw F.fail(at, "unsupported block " + JsonFields.quote(member));
      }
    }
    return out;
  }

  /**
   * Puts {@code cache_control} on the last element of {@code previous}: the translated blocks (or tools) of the
   * list the cache point stands in.
   */
  static void markCachePoint(ArrayNode previous, JsonNode cachePoint, String path) {
    ObjectNode point = F.object(cachePoint, path);
    F.allowOnly(point, path, Set.of("type", "ttl"));
    if (!"default".equals(F.text(point.get("type"), path + ".type"))) {
      throw F.fail(path + ".type", "must be 'default'");
    }
    if (previous.isEmpty()) {
      throw F.fail(path, "a cachePoint must follow a block in the same list");
    }
    ObjectNode marked = (ObjectNode) previous.get(previous.size() - 1);
    if (marked.has("cache_control")) {
      throw F.fail(path, "two cachePoints in a row");
    }
    ObjectNode control = marked.putObject("cache_control").put("type", "ephemeral");
    JsonNode ttl = point.get("ttl");
    if (ttl != null) {
      String value = F.text(ttl, path + ".ttl");
      if (!value.equals("5m") && !value.equals("1h")) {
        throw F.fail(path + ".ttl", "must be '5m' or '1h'");
      }
      control.put("ttl", value);
    }
  }

  private static ObjectNode text(String text) {
    return NODES.objectNode().put("type", "text").put("text", text);
  }

  private static ObjectNode image(JsonNode node, String path) {
    ObjectNode image = F.object(node, path);
    F.allowOnly(image, path, Set.of("format", "source"));
    String format = F.text(image.get("format"), path + ".format");
    if (!IMAGE_FORMATS.contains(format)) {
      throw F.fail(path + ".format", "must be one of png, jpeg, gif, webp");
    }
    String sourcePath = path + ".source";
    String kind = F.unionMember(image.get("source"), sourcePath, "source", Set.of("bytes", "s3Location"));
    if (!kind.equals("bytes")) {
      throw F.fail(sourcePath, "s3Location is not supported: send the image bytes");
    }
    ObjectNode out = NODES.objectNode().put("type", "image");
    out.putObject("source")
        .put("type", "base64")
        .put("media_type", "image/" + format)
        .put("data", F.nonEmptyText(image.get("source").get("bytes"), sourcePath + ".bytes"));
    return out;
  }

  /**
   * Anthropic reads PDF (base64) and plain text documents, so PDF bytes pass through, text formats are decoded,
   * and office formats are refused rather than sent as something the model would misread.
   */
  private static ObjectNode document(JsonNode node, String path) {
    ObjectNode document = F.object(node, path);
    F.allowOnly(document, path, Set.of("format", "name", "source", "context", "citations"));
    ObjectNode out = NODES.objectNode().put("type", "document");
    String sourcePath = path + ".source";
    JsonNode source = document.get("source");
    String kind = F.unionMember(source, sourcePath, "source", Set.of("bytes", "text", "content", "s3Location"));
    ObjectNode anthropicSource = out.putObject("source");
    switch (kind) {
      case "bytes" -> {
        String format = F.text(document.get("format"), path + ".format");
        String bytes = F.nonEmptyText(source.get("bytes"), sourcePath + ".bytes");
        if (format.equals("pdf")) {
          anthropicSource.put("type", "base64").put("media_type", "application/pdf").put("data", bytes);
        } else if (TEXT_DOCUMENT_FORMATS.contains(format)) {
          plainText(anthropicSource, utf8(base64(bytes, sourcePath + ".bytes"), sourcePath + ".bytes"));
        } else {
          throw F.fail(path + ".format", JsonFields.quote(format)
              + " is not supported: send pdf, txt, md, csv or html");
        }
      }
      case "text" -> plainText(anthropicSource, F.text(source.get("text"), sourcePath + ".text"));
      case "content" -> {
        ArrayNode parts = F.array(source.get("content"), sourcePath + ".content");
        ArrayNode content = anthropicSource.put("type", "content").putArray("content");
        for (int i = 0; i < parts.size(); i++) {
          String partPath = sourcePath + ".content[" + i + "]";
          F.unionMember(parts.get(i), partPath, "block", Set.of("text"));
          content.add(text(F.text(parts.get(i).get("text"), partPath + ".text")));
        }
      }
      default -> throw F.fail(sourcePath, "s3Location is not supported: send the document bytes");
    }
    out.put("title", F.nonEmptyText(document.get("name"), path + ".name"));
    String context = F.optionalText(document.get("context"), path + ".context");
    if (context != null) {
      out.put("context", context);
    }
    JsonNode citations = document.get("citations");
    if (citations != null) {
      ObjectNode config = F.object(citations, path + ".citations");
      F.allowOnly(config, path + ".citations", Set.of("enabled"));
      out.putObject("citations").put("enabled", F.bool(config.get("enabled"), path + ".citations.enabled"));
    }
    return out;
  }

  private static void plainText(ObjectNode source, String text) {
    source.put("type", "text").put("media_type", "text/plain").put("data", text);
  }

  private static ObjectNode toolUse(JsonNode node, String path) {
    ObjectNode toolUse = F.object(node, path);
    F.allowOnly(toolUse, path, Set.of("toolUseId", "name", "input", "type"));
    if (toolUse.has("type")) {
      throw F.fail(path + ".type", "server tool use is not supported");
    }
    ObjectNode out = NODES.objectNode().put("type", "tool_use")
        .put("id", F.nonEmptyText(toolUse.get("toolUseId"), path + ".toolUseId"))
        .put("name", F.nonEmptyText(toolUse.get("name"), path + ".name"));
    out.set("input", F.object(toolUse.get("input"), path + ".input"));
    return out;
  }

  private static ObjectNode toolResult(JsonNode node, String path) {
    ObjectNode toolResult = F.object(node, path);
    F.allowOnly(toolResult, path, Set.of("toolUseId", "content", "status", "type"));
    if (toolResult.has("type")) {
      throw F.fail(path + ".type", "server tool results are not supported");
    }
    ObjectNode out = NODES.objectNode().put("type", "tool_result")
        .put("tool_use_id", F.nonEmptyText(toolResult.get("toolUseId"), path + ".toolUseId"));
    ArrayNode blocks = F.array(toolResult.get("content"), path + ".content");
    ArrayNode content = out.putArray("content");
    for (int i = 0; i < blocks.size(); i++) {
      String at = path + ".content[" + i + "]";
      String member = F.unionMember(blocks.get(i), at, "block", TOOL_RESULT_BLOCKS);
      JsonNode value = blocks.get(i).get(member);
      String valuePath = at + "." + member;
      switch (member) {
        case "text" -> content.add(text(F.text(value, valuePath)));
        // Anthropic tool results hold no JSON block: the model reads the JSON as text.
        case "json" -> content.add(text(JsonFields.write(value).toString()));
        case "image" -> content.add(image(value, valuePath));
        case "document" -> content.add(document(value, valuePath));
        default -> throw F.fail(at, "unsupported block " + JsonFields.quote(member));
      }
    }
    String status = F.optionalText(toolResult.get("status"), path + ".status");
    if (status != null) {
      switch (status) {
        case "error" -> out.put("is_error", true);
        case "success" -> { }
        default -> throw F.fail(path + ".status", "must be 'success' or 'error'");
      }
    }
    return out;
  }

  /**
   * Earlier turns' reasoning goes back as Anthropic thinking, which the model checks by its signature. Converse's
   * {@code redactedContent} is a blob (base64 in JSON) holding the bytes of Anthropic's opaque {@code data} string.
   */
  private static ObjectNode reasoning(JsonNode node, String path) {
    String member = F.unionMember(node, path, "reasoning block", Set.of("reasoningText", "redactedContent"));
    String valuePath = path + "." + member;
    if (member.equals("redactedContent")) {
      String data = utf8(base64(F.nonEmptyText(node.get(member), valuePath), valuePath), valuePath);
      return NODES.objectNode().put("type", "redacted_thinking").put("data", data);
    }
    ObjectNode reasoningText = F.object(node.get(member), valuePath);
    F.allowOnly(reasoningText, valuePath, Set.of("text", "signature"));
    ObjectNode out = NODES.objectNode().put("type", "thinking")
        .put("thinking", F.text(reasoningText.get("text"), valuePath + ".text"));
    String signature = F.optionalText(reasoningText.get("signature"), valuePath + ".signature");
    if (signature != null) {
      out.put("signature", signature);
    }
    return out;
  }

  private static byte[] base64(String value, String path) {
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw F.fail(path, "not valid base64");
    }
  }

  private static String utf8(byte[] bytes, String path) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw F.fail(path, "not UTF-8 text");
    }
  }
}
