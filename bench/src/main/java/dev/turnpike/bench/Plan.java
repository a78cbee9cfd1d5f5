package dev.turnpike.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how hard: the full run, or {@code --quick} (every scenario briefly, a couple of rates). {@code burst}
 * is the overshoot measurement that follows the ladder of a scenario with spend caps ({@link SpendCap}).
 */
public record Plan(boolean quick, List<Integer> largeLadder, List<Integer> smallLadder, List<Integer> peerLadder,
                   Duration step, Duration warmup, Duration drain, String largeScript, String smallScript,
                   Burst burst) {

  /**
   * {@code requests} fired at once under each cap of {@code capsUsd}. The default caps: $0.10, below what Turnpike
   * reserves for a single one of these Claude Code requests (their {@code max_tokens} are 32,000-64,000), and $2.00,
   * above that and still below what the 50 requests really cost, so a gateway that does not count requests in
   * flight overshoots both.
   */
  public record Burst(int requests, List<Double> capsUsd) {
    public static final Burst DEFAULT = new Burst(50, List.of(0.10, 2.00));
  }

  public static Plan fullRun() {
    return new Plan(false, List.of(25, 50, 100, 200, 400, 700, 1000), List.of(500, 1000, 2000, 3000, 4000),
        List.of(10, 25, 50, 100, 200), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5),
        "std:ttfb=20,tps=1000,tokens=64", "small:ttfb=5,tps=1000,tokens=8", Burst.DEFAULT);
  }

  public static Plan quickRun() {
    return new Plan(true, List.of(50, 200), List.of(500, 2000), List.of(25, 50), Duration.ofSeconds(3),
        Duration.ofSeconds(2),
        Duration.ofSeconds(2), "std:ttfb=20,tps=1000,tokens=64", "small:ttfb=5,tps=1000,tokens=8", Burst.DEFAULT);
  }

  /**
   * The rate used to warm a scenario up before its first measured step: the middle of its ladder, so C2 has
   * compiled the hot path (thousands of requests) before anything is measured; the slow peer gets its second
   * rate, since its middle one would only build a backlog. A quick run only needs the path served once, so it
   * takes the first rate: a cold JVM asked for the middle of the ladder after one second refuses with 529.
   */
  public int warmupRate(Scenario scenario, List<Integer> ladder) {
    if (quick) {
      return ladder.get(0);
    }
    boolean peer = scenario.rates(this).equals(peerLadder);
    return ladder.get(peer ? Math.min(ladder.size() - 1, 1) : ladder.size() / 2);
  }

  public Plan withScripts(String large, String small) {
    return new Plan(quick, largeLadder, smallLadder, peerLadder, step, warmup, drain, large, small, burst);
  }

  public Plan withStep(Duration newStep) {
    return new Plan(quick, largeLadder, smallLadder, peerLadder, newStep, warmup, drain, largeScript, smallScript,
        burst);
  }

  /** A longer warm-up lets C2 finish compiling every path a node runs, so a step measures its steady state. */
  public Plan withWarmup(Duration newWarmup) {
    return new Plan(quick, largeLadder, smallLadder, peerLadder, step, newWarmup, drain, largeScript, smallScript,
        burst);
  }

  public Plan withLadders(List<Integer> large, List<Integer> small) {
    return new Plan(quick, large, small, peerLadder, step, warmup, drain, largeScript, smallScript, burst);
  }

  public Plan withBurst(Burst newBurst) {
    return new Plan(quick, largeLadder, smallLadder, peerLadder, step, warmup, drain, largeScript, smallScript,
        newBurst);
  }

  /** How long a freshly started system idles before its idle RSS is read. */
  public Duration settle() {
    return Duration.ofSeconds(quick ? 1 : 2);
  }

  /** The fake's script name used by a body kind: big bodies get the long answer, 1 KB bodies a short one. */
  public static String script(Bodies.Kind kind) {
    return kind == Bodies.Kind.SMALL ? "small" : "std";
  }
}
