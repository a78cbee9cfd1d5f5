package dev.turnpike.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overshoot rows survive latest.json, so --rerender draws the same tables. */
class ReportTest {
  @TempDir
  Path dir;

  @Test
  void overshootRoundTripsAndIsTabled() throws Exception {
    Results.Scenario s = new Results.Scenario();
    s.name = "claude-gateway";
    s.description = "peer";
    s.body = "Claude Code captures";
    s.peer = true;
    s.overshoot.add(new Results.Overshoot(0.10, 50, 50, 0, 0, Map.of(), 3.198, 31.98, 0.06396, 3.198, 0.0, 120.0,
        1.8, "refused: HTTP 429", "checks before, records after", null));
    s.overshoot.add(Results.Overshoot.failed(2.0, 50, 0.06396, "note", "boom"));
    Map<String, Object> machine = new LinkedHashMap<>();
    new Report(Plan.fullRun(), machine, List.of(s), 1, "test").write(dir);

    Report.read(dir.resolve("latest.json")).write(dir);
    String md = Files.readString(dir.resolve("latest.md"));
    assertTrue(md.contains("| claude-gateway | $0.1000 | 50 of 50 | 0 | 0 | $3.1980 | 31.98x"), md);
    assertTrue(md.contains("**not measured**: boom"), md);
    String json = Files.readString(dir.resolve("latest.json"));
    assertTrue(json.contains("\"spent_over_cap\" : 31.98"), json);
    assertEquals(2, com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(json)
        .path("overshoot").size());
  }
}
