package dev.turnpike.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.provider.ClaudeCodeCaptures;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests captured from the real Claude Code CLI, translated as the gemini adapter would, checked against the
 * rules of Gemini's {@code GenerateContentRequest} (the fields of {@code content.proto}'s {@code Schema}, the
 * function-name pattern, the pairing of function calls and responses).
 */
class ClaudeCodeGeminiCaptureTest {
  private static final Set<String> SCHEMA_FIELDS = Set.of("type", "format", "title", "description", "nullable",
      "enum", "items", "maxItems", "minItems", "properties", "required", "minProperties", "maxProperties",
      "minimum", "maximum", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering", "default");
  private static final Set<String> TYPES = Set.of("STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT");
  private static final Set<String> PART_DATA = Set.of("text", "inlineData", "fileData", "functionCall",
      "functionResponse");
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$");

  @ParameterizedTest
  @MethodSource("dev.turnpike.provider.ClaudeCodeCaptures#requests")
  void should_produce_a_request_gemini_accepts_when_translating_a_claude_code_capture(String file) {
    JsonNode request = ClaudeCodeCaptures.request(file);
    ObjectNode out = GeminiRequestTranslator.toGenerateContent(request, "gemini-2.5-pro", true,
        GeminiRequestTranslator.toolNames());

    String system = out.path("systemInstruction").path("parts").path(0).path("text").asText();
    assertTrue(system.startsWith("You are a Claude agent"), "billing header dropped: " + system.substring(0, 40));
    assertTrue(out.path("generationConfig").path("maxOutputTokens").asLong() <= 65536);
    assertFalse(out.path("generationConfig").has("thinkingConfig"), "adaptive thinking keeps the model default");

    JsonNode declarations = out.path("tools").path(0).path("functionDeclarations");
    assertTrue(declarations.size() >= 9, "Claude Code's tools kept");
    for (JsonNode declaration : declarations) {
      assertTrue(NAME.matcher(declaration.path("name").asText()).matches(), declaration.path("name").asText());
      if (declaration.has("parameters")) {
        assertSchema(declaration.path("parameters"), declaration.path("name").asText());
        assertFalse(declaration.path("parameters").path("properties").isEmpty());
      }
    }
    assertContents(out.path("contents"));
  }

  private static void assertSchema(JsonNode schema, String where) {
    schema.fieldNames().forEachRemaining(field ->
        assertTrue(SCHEMA_FIELDS.contains(field), "no '" + field + "' in Gemini's Schema, at " + where));
    if (schema.has("type")) {
      assertTrue(TYPES.contains(schema.path("type").asText()), where + ".type " + schema.path("type"));
    } else {
      assertTrue(schema.has("anyOf"), where + " has a type");
    }
    if ("ARRAY".equals(schema.path("type").asText())) {
      assertTrue(schema.path("items").isObject(), where + " has items");
    }
    schema.path("enum").forEach(value -> assertTrue(value.isTextual(), where + ".enum holds strings"));
    schema.path("required").forEach(name ->
        assertTrue(schema.path("properties").has(name.asText()), where + ".required names a property"));
    schema.path("properties").properties().forEach(p -> assertSchema(p.getValue(), where + "." + p.getKey()));
    if (schema.has("items")) {
      assertSchema(schema.path("items"), where + "[]");
    }
    schema.path("anyOf").forEach(branch -> assertSchema(branch, where + "|"));
  }

  /** Roles alternate as Gemini segments turns, and every call turn is answered by exactly its responses. */
  private static void assertContents(JsonNode contents) {
    List<String> pendingCalls = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      JsonNode content = contents.path(i);
      String role = content.path("role").asText();
      assertTrue(role.equals("user") || role.equals("model"), "role " + role);
      assertFalse(content.path("parts").isEmpty(), "contents[" + i + "] has parts");
      List<String> calls = new ArrayList<>();
      List<String> responses = new ArrayList<>();
      int others = 0;
      for (JsonNode part : content.path("parts")) {
        List<String> data = new ArrayList<>();
        part.fieldNames().forEachRemaining(field -> {
          if (PART_DATA.contains(field)) {
            data.add(field);
          }
        });
        assertEquals(1, data.size(), "one data field per part: " + part);
        if (part.has("text")) {
          assertFalse(part.path("text").asText().isEmpty(), "no empty text");
        }
        if (part.has("functionCall")) {
          calls.add(part.path("functionCall").path("name").asText());
        } else if (part.has("functionResponse")) {
          responses.add(part.path("functionResponse").path("name").asText());
        } else {
          others++;
        }
      }
      if (!pendingCalls.isEmpty()) {
        assertEquals("user", role, "a call turn is answered next");
        assertEquals(pendingCalls, responses, "responses pair with the calls, in order");
        assertEquals(0, others, "a function-response content holds only responses");
      } else {
        assertTrue(responses.isEmpty(), "contents[" + i + "]: no response without a call turn before it");
      }
      pendingCalls = role.equals("model") ? calls : List.of();
    }
  }

}
