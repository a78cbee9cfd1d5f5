package dev.turnpike.provider.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.converse.ConverseRequestTranslator;
import dev.turnpike.provider.ClaudeCodeCaptures;
import dev.turnpike.provider.TestJson;
import dev.turnpike.provider.openai.ToolNameMapper;
import io.vertx.core.buffer.Buffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicToConverseTest {

  @TestFactory
  Stream<DynamicTest> should_match_the_golden_converse_request_when_translating_a_fixture() {
    List<String> cases = ConverseFixtures.FILES.cases(".anthropic-request.json");
    assertTrue(cases.size() >= 6, "fixture cases found: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode actual = ConverseFixtures.translate(ConverseFixtures.FILES.json(name + ".anthropic-request.json"),
          new ToolNameMapper());
      assertEquals(ConverseFixtures.FILES.json(name + ".converse-request.json"), actual, name);
    }));
  }

  /**
   * The contract's Converse request reader refuses unknown fields, blocks and union shapes (it is written from the
   * same service model for the opposite direction), so every body produced here must read back without complaint.
   */
  @TestFactory
  Stream<DynamicTest> should_produce_bodies_the_strict_converse_reader_accepts() {
    List<String> cases = ConverseFixtures.FILES.cases(".anthropic-request.json");
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      JsonNode converse = ConverseFixtures.translate(ConverseFixtures.FILES.json(name + ".anthropic-request.json"),
          new ToolNameMapper());
      ConverseRequestTranslator.translate(Buffer.buffer(converse.toString()), "claude-sonnet-4-5", false);
    }));
  }

  @ParameterizedTest
  @MethodSource("dev.turnpike.provider.ClaudeCodeCaptures#requests")
  void should_produce_a_converse_request_bedrock_accepts_when_translating_a_claude_code_capture(String file) {
    JsonNode capture = ClaudeCodeCaptures.request(file);
    ToolNameMapper names = new ToolNameMapper();
    JsonNode out = TestJson.normalized(AnthropicToConverse.translate(capture,
        ConverseFeatures.of("us.meta.llama4-maverick-17b-instruct-v1:0"), names, List.of("claude-code-20250219")));

    assertEquals(Set.of("messages", "system", "inferenceConfig", "toolConfig"), fieldNames(out),
        "Anthropic-only fields (thinking, context_management, output_config, metadata) stay behind");
    assertEquals(capture.path("max_tokens").asLong(), out.path("inferenceConfig").path("maxTokens").asLong());
    assertFalse(out.toString().contains("cachePoint"), "Llama has no prompt caching");
    assertFalse(out.toString().contains("reasoningContent"), "Claude's signed thinking is not sent to Llama");
    assertFalse(out.toString().contains("x-anthropic-billing-header"), "the billing header is dropped");

    JsonNode messages = out.path("messages");
    assertEquals("user", messages.path(0).path("role").asText(), "a conversation starts with the user");
    Set<String> toolUses = Set.of();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.path(i);
      String role = message.path("role").asText();
      if (i > 0) {
        assertNotEquals(messages.path(i - 1).path("role").asText(), role, "roles alternate at message " + i);
      }
      assertFalse(message.path("content").isEmpty(), "message " + i + " has content");
      Set<String> results = new HashSet<>();
      for (JsonNode block : message.path("content")) {
        if (block.has("text")) {
          assertFalse(block.path("text").asText().isBlank(), "no blank text in message " + i);
        }
        if (block.has("toolResult")) {
          assertEquals("user", role);
          assertTrue(toolUses.contains(block.path("toolResult").path("toolUseId").asText()),
              "a tool result answers a tool use of the turn before");
          results.add(block.path("toolResult").path("toolUseId").asText());
          assertFalse(block.path("toolResult").has("status"), "Llama takes no status");
        }
      }
      if (role.equals("user") && !toolUses.isEmpty()) {
        assertEquals(toolUses, results, "every tool use of the turn before is answered");
      }
      toolUses = new HashSet<>();
      for (JsonNode block : message.path("content")) {
        if (block.has("toolUse")) {
          assertTrue(block.path("toolUse").path("toolUseId").asText().matches("[a-zA-Z0-9_.:-]{1,64}"));
          toolUses.add(block.path("toolUse").path("toolUseId").asText());
        }
      }
    }
    int customTools = 0;
    for (JsonNode tool : capture.path("tools")) {
      customTools += tool.path("type").asText("custom").equals("custom") ? 1 : 0;
    }
    assertTrue(customTools >= 9, "capture has Claude Code's tools");
    assertEquals(customTools, out.path("toolConfig").path("tools").size(), "every custom tool kept");
    for (JsonNode tool : out.path("toolConfig").path("tools")) {
      assertTrue(tool.path("toolSpec").path("name").asText().matches("[a-zA-Z0-9_-]{1,64}"));
      assertTrue(tool.path("toolSpec").path("inputSchema").path("json").isObject());
    }
    ConverseRequestTranslator.translate(Buffer.buffer(out.toString()), "claude-sonnet-4-5", true);
  }

  @Test
  void should_keep_the_mid_conversation_system_reminder_in_the_user_turn_where_claude_code_put_it() {
    JsonNode capture = ClaudeCodeCaptures.request("cc2.1.332-anthropic_req_with_tool_result.json");
    String reminder = capture.path("messages").path(1).path("content").asText();
    assertEquals("system", capture.path("messages").path(1).path("role").asText(), "the capture has one");

    JsonNode out = TestJson.normalized(AnthropicToConverse.translate(capture, ConverseFeatures.NONE,
        new ToolNameMapper(), List.of()));

    JsonNode firstTurn = out.path("messages").path(0).path("content");
    assertEquals(reminder, firstTurn.path(firstTurn.size() - 1).path("text").asText());
    assertEquals("assistant", out.path("messages").path(1).path("role").asText());
  }

  @Test
  void should_send_claudes_signed_thinking_and_cache_points_back_when_the_model_is_claude() {
    JsonNode capture = ClaudeCodeCaptures.request("cc2.1.332-anthropic_req_with_tool_result.json");
    JsonNode out = TestJson.normalized(AnthropicToConverse.translate(capture,
        ConverseFeatures.of("anthropic.claude-opus-4-1-20250805-v1:0"), new ToolNameMapper(),
        List.of("interleaved-thinking-2025-05-14")));

    JsonNode assistant = out.path("messages").path(1).path("content");
    assertEquals("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds",
        assistant.path(0).path("reasoningContent").path("reasoningText").path("signature").asText());
    assertEquals(capture.path("thinking"), out.path("additionalModelRequestFields").path("thinking"));
    assertEquals("medium", out.path("outputConfig").path("effort").asText());
    assertTrue(out.path("system").toString().contains("cachePoint"));
    assertEquals("success", out.path("messages").path(2).path("content").path(0).path("toolResult").path("status")
        .asText());
  }

  @Test
  void should_map_a_long_tool_name_and_use_the_same_name_for_the_tool_and_its_calls() {
    String longName = "mcp__filesystem__read_text_file_with_a_really_long_name_beyond_the_sixty_four_limit";
    ObjectNode request = (ObjectNode) TestJson.JSON.createObjectNode();
    request.putArray("tools").addObject().put("name", longName).putObject("input_schema").put("type", "object");
    request.putArray("messages").add(message("user", "read it"))
        .add(TestJson.JSON.createObjectNode().put("role", "assistant").set("content",
            TestJson.JSON.createArrayNode().add(TestJson.JSON.createObjectNode()
                .put("type", "tool_use").put("id", "toolu_1").put("name", longName)
                .set("input", TestJson.JSON.createObjectNode()))));
    ToolNameMapper names = new ToolNameMapper();

    JsonNode out = TestJson.normalized(AnthropicToConverse.translate(request, ConverseFeatures.NONE, names,
        List.of()));

    String sent = out.path("toolConfig").path("tools").path(0).path("toolSpec").path("name").asText();
    assertTrue(sent.matches("[a-zA-Z0-9_-]{1,64}"), sent);
    assertEquals(sent, out.path("messages").path(1).path("content").path(0).path("toolUse").path("name").asText());
    assertEquals(longName, names.toAnthropic(sent), "the answer maps it back");
  }

  @Test
  void should_replace_a_tool_use_id_converse_refuses_the_same_way_for_the_use_and_its_result() {
    String id = "call/with spaces and a slash";
    ObjectNode request = (ObjectNode) TestJson.JSON.createObjectNode();
    request.putArray("tools").addObject().put("name", "t").putObject("input_schema").put("type", "object");
    request.putArray("messages").add(message("user", "go"))
        .add(TestJson.JSON.createObjectNode().put("role", "assistant").set("content",
            TestJson.JSON.createArrayNode().add(TestJson.JSON.createObjectNode()
                .put("type", "tool_use").put("id", id).put("name", "t")
                .set("input", TestJson.JSON.createObjectNode()))))
        .add(TestJson.JSON.createObjectNode().put("role", "user").set("content",
            TestJson.JSON.createArrayNode().add(TestJson.JSON.createObjectNode()
                .put("type", "tool_result").put("tool_use_id", id).put("content", "done"))));

    JsonNode out = TestJson.normalized(AnthropicToConverse.translate(request, ConverseFeatures.NONE,
        new ToolNameMapper(), List.of()));

    String useId = out.path("messages").path(1).path("content").path(0).path("toolUse").path("toolUseId").asText();
    assertTrue(useId.matches("[a-zA-Z0-9_.:-]{1,64}"), useId);
    assertEquals(useId, out.path("messages").path(2).path("content").path(0).path("toolResult").path("toolUseId")
        .asText());
  }

  @Test
  void should_refuse_an_image_by_url_naming_the_field_and_not_the_url() {
    ObjectNode request = (ObjectNode) TestJson.JSON.createObjectNode();
    ObjectNode image = TestJson.JSON.createObjectNode().put("type", "image");
    image.putObject("source").put("type", "url").put("url", "https://example.com/secret-token-in-url.png");
    request.putArray("messages").add(TestJson.JSON.createObjectNode().put("role", "user")
        .set("content", TestJson.JSON.createArrayNode().add(image)));

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> AnthropicToConverse.translate(request, ConverseFeatures.NONE, new ToolNameMapper(), List.of()));

    assertTrue(error.getMessage().startsWith("messages[0].content[0]: "), error.getMessage());
    assertFalse(error.getMessage().contains("secret-token"), error.getMessage());
  }

  @Test
  void should_send_tools_with_tool_choice_none_when_the_history_holds_tool_blocks() {
    JsonNode request = ConverseFixtures.FILES.json("tool-use-llama.anthropic-request.json").deepCopy();
    ((ObjectNode) request).putObject("tool_choice").put("type", "none");

    JsonNode out = ConverseFixtures.translate(request, new ToolNameMapper());

    assertEquals(1, out.path("toolConfig").path("tools").size(), "Converse requires tools with tool blocks");
    assertFalse(out.path("toolConfig").has("toolChoice"));
  }

  @Test
  void should_frame_a_count_tokens_body_with_only_the_fields_converse_tokens_request_takes() {
    JsonNode converse = ConverseFixtures.translate(
        ConverseFixtures.FILES.json("anthropic-fields.anthropic-request.json"), new ToolNameMapper());

    JsonNode count = AnthropicToConverse.countTokensBody((ObjectNode) converse);

    JsonNode input = count.path("input").path("converse");
    assertEquals(Set.of("input"), fieldNames(count));
    assertEquals(Set.of("messages", "system", "toolConfig", "additionalModelRequestFields"), fieldNames(input));
    assertEquals(converse.path("messages"), input.path("messages"));
  }

  private static ObjectNode message(String role, String text) {
    return TestJson.JSON.createObjectNode().put("role", role).put("content", text);
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
