package dev.turnpike.provider.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolNameMapperTest {
  private static final List<String> AWKWARD = List.of(
      "mcp__server.example.com__read file",
      "x".repeat(200),
      "mcp__" + "y".repeat(59) + "__tool",
      "ünïcödé-tööl",
      "",
      "a/b:c");

  @Test
  void should_keep_the_name_when_it_is_already_valid() {
    ToolNameMapper names = new ToolNameMapper();
    assertEquals("Bash", names.toOpenAi("Bash"));
    assertEquals("mcp__github__create_issue", names.toOpenAi("mcp__github__create_issue"));
    assertEquals("x".repeat(64), names.toOpenAi("x".repeat(64)));
  }

  @Test
  void should_produce_valid_distinct_names_that_map_back_when_names_are_invalid() {
    ToolNameMapper names = new ToolNameMapper();
    Set<String> produced = new HashSet<>();
    for (String name : AWKWARD) {
      String openAi = names.toOpenAi(name);
      assertTrue(ToolNameMapper.isValidOpenAiName(openAi), openAi);
      assertTrue(produced.add(openAi), "no collision: " + openAi);
      assertEquals(name, names.toAnthropic(openAi));
    }
  }

  @Test
  void should_map_the_same_way_when_another_request_uses_the_same_name() {
    for (String name : AWKWARD) {
      assertEquals(new ToolNameMapper().toOpenAi(name), new ToolNameMapper().toOpenAi(name));
    }
  }

  @Test
  void should_move_off_a_taken_name_when_a_rename_collides_with_a_valid_name() {
    ToolNameMapper first = new ToolNameMapper();
    String renamed = first.toOpenAi("a.b");
    ToolNameMapper names = new ToolNameMapper();
    assertEquals(renamed, names.toOpenAi(renamed)); // a real tool already holds the would-be rename
    String second = names.toOpenAi("a.b");
    assertNotEquals(renamed, second);
    assertTrue(ToolNameMapper.isValidOpenAiName(second));
    assertEquals("a.b", names.toAnthropic(second));
    assertEquals(renamed, names.toAnthropic(renamed));
  }

  @Test
  void should_pass_unknown_names_through_when_mapping_back() {
    assertEquals("hallucinated_tool", new ToolNameMapper().toAnthropic("hallucinated_tool"));
  }
}
