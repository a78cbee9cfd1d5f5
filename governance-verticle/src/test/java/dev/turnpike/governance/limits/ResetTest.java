package dev.turnpike.governance.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResetTest {
  private static final Instant NOW = Instant.parse("2026-08-13T17:47:31.250Z"); // a Thursday

  private static void window(Reset reset, String start, String end) {
    assertEquals(Instant.parse(start), reset.windowStart(NOW), reset.code());
    assertEquals(Instant.parse(end), reset.windowEnd(NOW), reset.code());
  }

  @Test
  void should_align_every_window_to_the_utc_calendar() {
    window(Reset.MINUTE, "2026-08-13T17:47:00Z", "2026-08-13T17:48:00Z");
    window(Reset.FIVE_MINUTES, "2026-08-13T17:45:00Z", "2026-08-13T17:50:00Z");
    window(Reset.HOUR, "2026-08-13T17:00:00Z", "2026-08-13T18:00:00Z");
    window(Reset.DAY, "2026-08-13T00:00:00Z", "2026-08-14T00:00:00Z");
    window(Reset.WEEK, "2026-08-10T00:00:00Z", "2026-08-17T00:00:00Z");
    window(Reset.MONTH, "2026-08-01T00:00:00Z", "2026-09-01T00:00:00Z");
    window(Reset.QUARTER, "2026-07-01T00:00:00Z", "2026-10-01T00:00:00Z");
    window(Reset.YEAR, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
  }

  @Test
  void should_start_a_new_window_exactly_at_the_boundary() {
    Instant midnight = Instant.parse("2026-12-03T00:00:00Z");

    assertEquals(midnight, Reset.DAY.windowStart(midnight));
    assertEquals(Instant.parse("2026-12-02T00:00:00Z"), Reset.DAY.windowStart(midnight.minusMillis(1)));
  }

  @Test
  void should_parse_each_code_and_refuse_others() {
    for (Reset reset : Reset.values()) {
      assertEquals(reset, Reset.parse(reset.code()));
    }
    assertThrows(IllegalArgumentException.class, () -> Reset.parse("1D"));
  }
}
