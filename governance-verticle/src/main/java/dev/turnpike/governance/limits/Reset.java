package dev.turnpike.governance.limits;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * How often a limit starts again, aligned to the UTC calendar: a {@code 1d} budget resets at midnight UTC, {@code 1w}
 * on Monday, {@code 1M} on the first of the month, {@code 1Q} on the first of January, April, July and October.
 */
public enum Reset {
  MINUTE("1m"), FIVE_MINUTES("5m"), HOUR("1h"), DAY("1d"), WEEK("1w"), MONTH("1M"), QUARTER("1Q"), YEAR("1Y");

  /** One window, in epoch milliseconds: from {@code startMs} (included) to {@code endMs} (excluded). */
  public record Window(long startMs, long endMs) {
    boolean holds(long nowMs) {
      return nowMs >= startMs && nowMs < endMs;
    }
  }

  private final String code;
  /** The window last asked for: every request asks, and the calendar arithmetic is only needed once per window. */
  private volatile Window current = new Window(0, 0);

  Reset(String code) {
    this.code = code;
  }

  /** The window that holds {@code now}. */
  public Window window(Instant now) {
    long nowMs = now.toEpochMilli();
    Window cached = current;
    if (cached.holds(nowMs)) {
      return cached;
    }
    Window computed = new Window(windowStart(now).toEpochMilli(), windowEnd(now).toEpochMilli());
    current = computed;
    return computed;
  }

  public String code() {
    return code;
  }

  public static Reset parse(String code) {
    for (Reset reset : values()) {
      if (reset.code.equals(code)) {
        return reset;
      }
    }
    throw new IllegalArgumentException("reset must be one of 1m 5m 1h 1d 1w 1M 1Q 1Y, not '" + code + "'");
  }

  /** The start of the window that holds {@code now}. */
  public Instant windowStart(Instant now) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    ZonedDateTime start = switch (this) {
      case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
      case FIVE_MINUTES -> t.truncatedTo(ChronoUnit.MINUTES).withMinute(t.getMinute() / 5 * 5);
      case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
      case DAY -> t.truncatedTo(ChronoUnit.DAYS);
      case WEEK -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
      case QUARTER -> {
        LocalDate d = t.toLocalDate();
        yield LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1).atStartOfDay(ZoneOffset.UTC);
      }
      case YEAR -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
    };
    return start.toInstant();
  }

  /** When the window that holds {@code now} ends, which is when the next begins. */
  public Instant windowEnd(Instant now) {
    ZonedDateTime start = windowStart(now).atZone(ZoneOffset.UTC);
    ZonedDateTime end = switch (this) {
      case MINUTE -> start.plusMinutes(1);
      case FIVE_MINUTES -> start.plusMinutes(5);
      case HOUR -> start.plusHours(1);
      case DAY -> start.plusDays(1);
      case WEEK -> start.plusWeeks(1);
      case MONTH -> start.plusMonths(1);
      case QUARTER -> start.plusMonths(3);
      case YEAR -> start.plusYears(1);
    };
    return end.toInstant();
  }
}
