package dev.turnpike.bench;

import java.util.List;

/**
 * A spend cap of {@code capUsd} set up by a scenario for the overshoot measurement ({@link BurstUnderCap}):
 * requests sent to {@code endpoints} spend against it and nothing else does, {@code meter} reads what the system
 * under test recorded against it, and {@code note} says how the system enforces it (for the report).
 */
public record SpendCap(double capUsd, List<Endpoint> endpoints, Meter meter, String note) {
  /** The system's own account of the cap, as its API reports it. */
  public interface Meter {
    Reading read() throws Exception;
  }

  /** Spent so far, and held for requests in flight (zero for a system that holds nothing). */
  public record Reading(double spentUsd, double reservedUsd) {}
}
