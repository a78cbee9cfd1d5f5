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
    assertEquals(new Reset.Window(Instant.parse(start).toEpochMilli(), Instant.parse(end).toEpochMilli()),
        reset.window(NOW), reset.code() + " (the cached form)");
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

  @org.junit.jupiter.api.Test
  void the_cached_window_follows_the_clock_forward_and_back_across_boundaries() {
    Instant lastMinuteOfDay = Instant.parse("2026-08-13T23:59:59.999Z");
    Instant nextDay = Instant.parse("2026-08-14T00:00:00Z");
    assertEquals(Instant.parse("2026-08-13T00:00:00Z").toEpochMilli(), Reset.DAY.window(lastMinuteOfDay).startMs());
    assertEquals(nextDay.toEpochMilli(), Reset.DAY.window(nextDay).startMs(), "a new window at midnight");
    assertEquals(nextDay.toEpochMilli(), Reset.DAY.window(lastMinuteOfDay).endMs(), "and the old one when asked");
    for (Reset reset : Reset.values()) {
      for (Instant t : new Instant[] {NOW, lastMinuteOfDay, nextDay, NOW.plusSeconds(86_400 * 40)}) {
        assertEquals(reset.windowStart(t).toEpochMilli(), reset.window(t).startMs(), reset.code() + " at " + t);
        assertEquals(reset.windowEnd(t).toEpochMilli(), reset.window(t).endMs(), reset.code() + " at " + t);
      }
    }
  }
}
