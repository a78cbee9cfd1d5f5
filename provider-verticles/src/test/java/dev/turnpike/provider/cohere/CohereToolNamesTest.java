package dev.turnpike.provider.cohere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CohereToolNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"Bash", "query_daily_sales_report", "_private", "mcp__ide__getDiagnostics"})
  void should_keep_a_name_cohere_accepts(String name) {
    CohereToolNames names = new CohereToolNames();
    assertEquals(name, names.toCohere(name));
    assertEquals(name, names.toAnthropic(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mcp__claude-in-chrome__read_page", "2fa.lookup", "web search", "名前", "",
      "mcp__a_very_long_server_name_for_testing__and_an_even_longer_tool_name_beyond_limits"})
  void should_map_a_name_cohere_refuses_and_back(String name) {
    CohereToolNames names = new CohereToolNames();
    String cohere = names.toCohere(name);

    assertTrue(CohereToolNames.isValidCohereName(cohere), cohere);
    assertFalse(CohereToolNames.isValidCohereName(name), "the example must be one Cohere refuses");
    assertEquals(name, names.toAnthropic(cohere));
    assertEquals(cohere, new CohereToolNames().toCohere(name), "the same name always maps the same way");
  }

  @Test
  void should_give_distinct_names_when_two_tools_sanitise_alike() {
    CohereToolNames names = new CohereToolNames();
    Set<String> seen = new HashSet<>();
    for (String name : new String[] {"a-b", "a.b", "a b", "a_b"}) {
      assertTrue(seen.add(names.toCohere(name)), "collision for " + name);
    }
    assertNotEquals(names.toCohere("a-b"), names.toCohere("a.b"));
    assertEquals("a.b", names.toAnthropic(names.toCohere("a.b")));
  }

  @Test
  void should_pass_unknown_names_through_when_mapping_back() {
    assertEquals("never_seen", new CohereToolNames().toAnthropic("never_seen"));
  }
}
