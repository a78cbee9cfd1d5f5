package dev.turnpike.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.provider.TestJson;
import org.junit.jupiter.api.Test;

class GeminiSchemaTest {

  @Test
  void should_stop_unrolling_when_a_schema_refers_to_itself() {
    JsonNode tree = TestJson.read("""
        {"type":"object","properties":{"root":{"$ref":"#/$defs/Node"}},
         "$defs":{"Node":{"type":"object","properties":{"child":{"$ref":"#/$defs/Node"},"name":{"type":"string"}}}}}
        """);
    JsonNode converted = GeminiSchema.parameters(tree);
    int depth = 0;
    JsonNode node = converted.path("properties").path("root");
    while (node.path("properties").has("child")) {
      node = node.path("properties").path("child");
      depth++;
    }
    assertEquals("OBJECT", node.path("type").asText());
    assertEquals(true, depth > 2 && depth <= GeminiSchema.MAX_DEPTH, "depth " + depth);
  }

  @Test
  void should_read_draft_4_exclusive_bounds_when_they_are_booleans() {
    JsonNode converted = GeminiSchema.convert(TestJson.read(
        "{\"type\":\"integer\",\"minimum\":0,\"exclusiveMinimum\":true,\"maximum\":10,\"exclusiveMaximum\":true}"));
    assertEquals(1, converted.path("minimum").asInt());
    assertEquals(9, converted.path("maximum").asInt());
  }

  @Test
  void should_give_no_parameters_when_a_tool_takes_none() {
    assertNull(GeminiSchema.parameters(TestJson.read("{\"type\":\"object\",\"properties\":{}}")));
    assertNull(GeminiSchema.parameters(TestJson.read("{\"type\":\"object\"}")));
  }
}
