package dev.turnpike.contract.converse;

import static dev.turnpike.contract.converse.JsonFields.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An Amazon Bedrock Converse (or ConverseStream) request body to an Anthropic Messages request body. Pure: no I/O,
 * the input is not modified.
 *
 * <p>Decisions, each for a reason:
 * <ul>
 *   <li>{@code max_tokens} is required by Anthropic and optional in Converse: without
 *   {@code inferenceConfig.maxTokens} (or {@code additionalModelRequestFields.max_tokens}) it is
 *   {@value #DEFAULT_MAX_TOKENS}.</li>
 *   <li>{@code additionalModelRequestFields} are Anthropic's own body fields on Bedrock ({@code thinking},
 *   {@code top_k}, ...), so they are merged into the top level. A field the Converse fields already set is refused
 *   rather than silently chosen. {@code anthropic_beta} is taken out and returned in
 *   {@link AnthropicRequest#betas()}: the Messages API reads betas from the {@code anthropic-beta} header.
 *   {@code anthropic_version} is dropped: the upstream call sets its own version.</li>
 *   <li>{@code guardrailConfig} and {@code promptVariables} are refused: the gateway can neither apply a guardrail
 *   nor resolve a managed prompt, and answering without them would be wrong. {@code requestMetadata},
 *   {@code performanceConfig}, {@code serviceTier} and {@code additionalModelResponseFieldPaths} are ignored:
 *   they tune or label the call, and the answer is correct without them.</li>
 *   <li>A {@code cachePoint} becomes {@code cache_control: {"type":"ephemeral"}} (with its {@code ttl}) on the
 *   block or tool before it.</li>
 *   <li>Unknown fields and blocks are refused with a {@link ConverseException} naming the field: a request the
 *   gateway does not understand is not forwarded half-read.</li>
 * </ul>
 */
public final class ConverseRequestTranslator {
  /** Anthropic's {@code max_tokens} when the Converse request sets no limit. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  private static final JsonFields F = JsonFields.REQUEST;
  private static final Set<String> TOP_LEVEL = Set.of("messages", "system", "inferenceConfig", "toolConfig",
      "additionalModelRequestFields", "outputConfig", "guardrailConfig", "promptVariables", "requestMetadata",
      "performanceConfig", "serviceTier", "additionalModelResponseFieldPaths");
  private static final Map<String, String> REFUSED = Map.of(
      "guardrailConfig", "guardrails are not supported: the gateway cannot apply them",
      "promptVariables", "prompt management is not supported: send the messages themselves");

  /**
   * The translated request.
   *
   * @param body Anthropic Messages JSON
   * @param betas {@code additionalModelRequestFields.anthropic_beta}, for the {@code anthropic-beta} header;
   *     empty when none
   */
  public record AnthropicRequest(Buffer body, List<String> betas) {
    public AnthropicRequest {
      betas = List.copyOf(betas);
    }
  }

  private ConverseRequestTranslator() {}

  /**
   * The Anthropic Messages body for {@code converseBody}; see {@link #translate} for the betas.
   *
   * @throws ConverseException when the body is not a Converse request this class can translate
   */
  public static Buffer toAnthropic(Buffer converseBody, String model, boolean stream) {
    return translate(converseBody, model, stream).body();
  }

  /**
   * @param model the Anthropic model id (the Converse URL carries the model, the body does not)
   * @param stream whether the client called {@code converse-stream}
   * @throws ConverseException when the body is not a Converse request this class can translate
   */
  public static AnthropicRequest translate(Buffer converseBody, String model, boolean stream) {
    Objects.requireNonNull(model, "model");
    ObjectNode request = F.parseObject(converseBody, "Request body");
    F.allowOnly(request, "", TOP_LEVEL);
    for (Map.Entry<String, String> refused : REFUSED.entrySet()) {
      if (request.has(refused.getKey())) {
        throw F.fail(refused.getKey(), refused.getValue());
      }
    }
    ObjectNode additional = request.has("additionalModelRequestFields")
        ? F.object(request.get("additionalModelRequestFields"), "additionalModelRequestFields")
        : NODES.objectNode();
    ObjectNode inference = request.has("inferenceConfig")
        ? F.object(request.get("inferenceConfig"), "inferenceConfig")
        : NODES.objectNode();
    F.allowOnly(inference, "inferenceConfig", Set.of("maxTokens", "temperature", "topP", "stopSequences"));

    ObjectNode out = NODES.objectNode();
    out.put("model", model);
    out.put("max_tokens", maxTokens(inference, additional));
    if (request.has("system")) {
      ArrayNode system = ContentBlocks.system(F.array(request.get("system"), "system"), "system");
      if (!system.isEmpty()) {
        out.set("system", system);
      }
    }
    out.set("messages", messages(F.array(request.get("messages"), "messages")));
    if (request.has("toolConfig")) {
      toolConfig(F.object(request.get("toolConfig"), "toolConfig"), out);
    }
    sampling(inference, out);
    if (request.has("outputConfig")) {
      out.set("output_config", outputConfig(F.object(request.get("outputConfig"), "outputConfig")));
    }
    out.put("stream", stream);
    List<String> betas = mergeAdditional(additional, out);
    return new AnthropicRequest(JsonFields.write(out), betas);
  }

  private static long maxTokens(ObjectNode inference, ObjectNode additional) {
    JsonNode converse = inference.get("maxTokens");
    if (converse == null) {
      JsonNode anthropic = additional.get("max_tokens");
      return anthropic == null ? DEFAULT_MAX_TOKENS : positiveInt(anthropic, "additionalModelRequestFields.max_tokens");
    }
    if (additional.has("max_tokens")) {
      throw F.fail("additionalModelRequestFields.max_tokens", "conflicts with inferenceConfig.maxTokens");
    }
    return positiveInt(converse, "inferenceConfig.maxTokens");
  }

  private static long positiveInt(JsonNode node, String path) {
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
      throw F.fail(path, "must be a positive integer");
    }
    return node.intValue();
  }

  private static ArrayNode messages(ArrayNode messages) {
    ArrayNode out = NODES.arrayNode(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      String path = "messages[" + i + "]";
      ObjectNode message = F.object(messages.get(i), path);
      F.allowOnly(message, path, Set.of("role", "content"));
      String role = F.text(message.get("role"), path + ".role");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw F.fail(path + ".role", "must be 'user' or 'assistant'");
      }
      ObjectNode translated = out.addObject().put("role", role);
      translated.set("content",
          ContentBlocks.messageContent(F.array(message.get("content"), path + ".content"), path + ".content"));
    }
    return out;
  }

  private static void toolConfig(ObjectNode config, ObjectNode out) {
    F.allowOnly(config, "toolConfig", Set.of("tools", "toolChoice"));
    ArrayNode tools = F.array(config.get("tools"), "toolConfig.tools");
    ArrayNode translated = NODES.arrayNode(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      String path = "toolConfig.tools[" + i + "]";
      String member = F.unionMember(tools.get(i), path, "tool", Set.of("toolSpec", "cachePoint", "systemTool"));
      switch (member) {
        case "toolSpec" -> translated.add(toolSpec(tools.get(i).get(member), path + ".toolSpec"));
        case "cachePoint" -> ContentBlocks.markCachePoint(translated, tools.get(i).get(member), path + ".cachePoint");
        default -> throw F.fail(path, "systemTool is not supported");
      }
    }
    if (!translated.isEmpty()) {
      out.set("tools", translated);
    }
    if (config.has("toolChoice")) {
      out.set("tool_choice", toolChoice(config.get("toolChoice")));
    }
  }

  private static ObjectNode toolSpec(JsonNode node, String path) {
    ObjectNode spec = F.object(node, path);
    F.allowOnly(spec, path, Set.of("name", "description", "inputSchema", "strict"));
    ObjectNode tool = NODES.objectNode().put("name", F.nonEmptyText(spec.get("name"), path + ".name"));
    String description = F.optionalText(spec.get("description"), path + ".description");
    if (description != null) {
      tool.put("description", description);
    }
    String schemaPath = path + ".inputSchema";
    F.unionMember(spec.get("inputSchema"), schemaPath, "input schema", Set.of("json"));
    tool.set("input_schema", F.object(spec.get("inputSchema").get("json"), schemaPath + ".json"));
    if (spec.has("strict")) {
      tool.put("strict", F.bool(spec.get("strict"), path + ".strict"));
    }
    return tool;
  }

  private static ObjectNode toolChoice(JsonNode node) {
    String path = "toolConfig.toolChoice";
    String member = F.unionMember(node, path, "tool choice", Set.of("auto", "any", "tool"));
    String valuePath = path + "." + member;
    ObjectNode value = F.object(node.get(member), valuePath);
    ObjectNode choice = NODES.objectNode().put("type", member);
    if (member.equals("tool")) {
      F.allowOnly(value, valuePath, Set.of("name"));
      choice.put("name", F.nonEmptyText(value.get("name"), valuePath + ".name"));
    } else {
      F.allowOnly(value, valuePath, Set.of());
    }
    return choice;
  }

  private static void sampling(ObjectNode inference, ObjectNode out) {
    if (inference.has("temperature")) {
      out.set("temperature", number(inference.get("temperature"), "inferenceConfig.temperature"));
    }
    if (inference.has("topP")) {
      out.set("top_p", number(inference.get("topP"), "inferenceConfig.topP"));
    }
    if (inference.has("stopSequences")) {
      ArrayNode stops = F.array(inference.get("stopSequences"), "inferenceConfig.stopSequences");
      for (int i = 0; i < stops.size(); i++) {
        F.text(stops.get(i), "inferenceConfig.stopSequences[" + i + "]");
      }
      if (!stops.isEmpty()) {
        out.set("stop_sequences", stops);
      }
    }
  }

  private static JsonNode number(JsonNode node, String path) {
    if (!node.isNumber()) {
      throw F.fail(path, "must be a number");
    }
    return node;
  }

  /** Converse {@code outputConfig} to Anthropic {@code output_config}: effort, and a JSON schema for the text. */
  private static ObjectNode outputConfig(ObjectNode config) {
    String path = "outputConfig";
    F.allowOnly(config, path, Set.of("effort", "textFormat"));
    ObjectNode out = NODES.objectNode();
    String effort = F.optionalText(config.get("effort"), path + ".effort");
    if (effort != null) {
      out.put("effort", effort);
    }
    if (config.has("textFormat")) {
      String formatPath = path + ".textFormat";
      ObjectNode format = F.object(config.get("textFormat"), formatPath);
      F.allowOnly(format, formatPath, Set.of("type", "structure"));
      if (!"json_schema".equals(F.text(format.get("type"), formatPath + ".type"))) {
        throw F.fail(formatPath + ".type", "must be 'json_schema'");
      }
      String structurePath = formatPath + ".structure";
      F.unionMember(format.get("structure"), structurePath, "structure", Set.of("jsonSchema"));
      String schemaPath = structurePath + ".jsonSchema";
      ObjectNode jsonSchema = F.object(format.get("structure").get("jsonSchema"), schemaPath);
      F.allowOnly(jsonSchema, schemaPath, Set.of("schema", "name", "description"));
      // Converse carries the schema as a JSON string; Anthropic as an object. Name and description have no place.
      String schema = F.text(jsonSchema.get("schema"), schemaPath + ".schema");
      ObjectNode anthropicFormat = out.putObject("format").put("type", "json_schema");
      anthropicFormat.set("schema", F.parseObject(Buffer.buffer(schema), schemaPath + ".schema"));
    }
    return out;
  }

  private static List<String> mergeAdditional(ObjectNode additional, ObjectNode out) {
    List<String> betas = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : additional.properties()) {
      String name = field.getKey();
      switch (name) {
        case "anthropic_beta" -> {
          String path = "additionalModelRequestFields.anthropic_beta";
          ArrayNode values = F.array(field.getValue(), path);
          for (int i = 0; i < values.size(); i++) {
            betas.add(F.nonEmptyText(values.get(i), path + "[" + i + "]"));
          }
        }
        case "anthropic_version" -> { }
        case "max_tokens" -> { } // read by maxTokens
        default -> {
          if (out.has(name)) {
            throw F.fail("additionalModelRequestFields", "field " + JsonFields.quote(name)
                + " conflicts with a field the Converse request already sets");
          }
          out.set(name, field.getValue());
        }
      }
    }
    return betas;
  }
}
