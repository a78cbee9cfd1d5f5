package dev.turnpike.bench;

import java.util.List;

/**
 * One benchmark scenario: what to start, where to send requests and with which body. Adding a scenario is one
 * small class in {@code dev.turnpike.bench.scenarios} (found by {@link Scenarios}); {@code bench/run.sh NAME}
 * runs it. The harness warms it up, drives the rate ladder, and compares every step with {@code direct} at the
 * same rate and body.
 */
public interface Scenario {
  /** The name used on the command line and in the results. */
  String name();

  /** One line for the report: what is measured. */
  String description();

  /** Which request bodies it sends. */
  default Bodies.Kind body() {
    return Bodies.Kind.LARGE;
  }

  /** The rate ladder (requests/s, ascending); the harness stops climbing at the first saturated step. */
  default List<Integer> rates(Plan plan) {
    return body() == Bodies.Kind.SMALL ? plan.smallLadder() : plan.largeLadder();
  }

  /** How long each measured step lasts: the plan's, unless a target needs more samples to resolve its difference. */
  default java.time.Duration step(Plan plan) {
    return plan.step();
  }

  /**
   * Whether a full run keeps warming it up until the JIT compilers of its processes go quiet ({@code Bench}): a
   * target of a tenth of a millisecond cannot be read while a compiler still takes a fifth of a core, as it does for
   * minutes in a node fresh at 100 requests a second.
   */
  default boolean settlesJit() {
    return false;
  }

  /** Position in a full run (the baseline runs first). */
  default int order() {
    return 50;
  }

  /**
   * A third-party gateway measured for comparison: its failure to run (not installed, no database) is reported,
   * never fails the run, and its memory is left out of Turnpike's targets.
   */
  default boolean peer() {
    return false;
  }

  /** Whether {@code --quick} without scenario names runs it (CI's smoke test); named explicitly, it always runs. */
  default boolean inQuickRun() {
    return true;
  }

  /** Starts the processes under test (gateway nodes, a peer) and says where to send requests. */
  Running start(Env env) throws Exception;

  /** Where the load goes and what to watch while it runs. Closing stops what {@link #start} started. */
  interface Running extends AutoCloseable {
    /** Requests are spread over these in turn (round-robin). */
    List<Endpoint> endpoints();

    /** The processes whose CPU, RSS and GC pauses are charged to the system under test (none for direct). */
    List<Proc> processes();

    /** False when the processes already served load before this scenario (idle RSS would be meaningless). */
    default boolean freshlyStarted() {
      return true;
    }

    /** A remark for the report (empty when none). */
    default String note() {
      return "";
    }

    /** Spend caps to fire the overshoot burst at once the ladder is done (none: no overshoot measurement). */
    default List<SpendCap> spendCaps() {
      return List.of();
    }

    @Override
    void close();
  }
}
