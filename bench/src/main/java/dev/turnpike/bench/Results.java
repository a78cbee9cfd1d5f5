package dev.turnpike.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What a run measured, shaped as written to {@code latest.json}. Latencies in milliseconds. */
public final class Results {
  private Results() {}

  /** Percentiles of one latency, in ms. */
  public record Pct(Double p50, Double p90, Double p99, Double p999, Double max) {
    static Pct of(Histogram h) {
      if (h == null || h.getTotalCount() == 0) {
        return new Pct(null, null, null, null, null);
      }
      return new Pct(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
          ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    /** This minus {@code base}, percentile by percentile; null where either is missing. */
    Pct minus(Pct base) {
      if (base == null) {
        return new Pct(null, null, null, null, null);
      }
      return new Pct(sub(p50, base.p50), sub(p90, base.p90), sub(p99, base.p99), sub(p999, base.p999),
          sub(max, base.max));
    }

    private static Double ms(long micros) {
      return Math.round(micros / 10.0) / 100.0;
    }

    private static Double sub(Double a, Double b) {
      return a == null || b == null ? null : Math.round((a - b) * 100.0) / 100.0;
    }
  }

  /** One rate step of one scenario. */
  public static final class Step {
    public int rate;
    public double sentPerSecond;
    public long sent;
    public long ok;
    public long errors;
    public long timeouts;
    /** Of {@link #errors}: refused for capacity (529, 503, connection refused); see {@link LoadGen.Failure}. */
    public long overloaded;
    /** Of {@link #errors}: wrong answers, whatever the load (the rest of {@link #errors}). */
    public long protocolErrors;
    public Map<String, Integer> errorKinds = new LinkedHashMap<>();
    public Pct ttfb;
    public Pct ttlb;
    /** The last byte per endpoint, in the order the scenario lists them (the sides of a paired comparison). */
    public List<Pct> ttlbByEndpoint;
    /** How late the generator sent requests relative to their intended time (its own health). */
    public Pct sendLag;
    public Pct addedTtfb;
    public Pct addedTtlb;
    /** CPU seconds of the system under test per 1,000 requests (sum over its processes). */
    public Double cpuSecondsPer1k;
    /** Per process, when each has its own endpoint and the requests alternate between them (a paired scenario). */
    public List<Double> cpuSecondsPer1kByProcess;
    public Double fakeCpuSecondsPer1k;
    public Double loadgenCpuSecondsPer1k;
    /** Max RSS over the processes under test at the end of the step, MB. */
    public Double rssMb;
    public Double gcPauseMs;
    public Integer gcPauses;
    public boolean saturated;
    public String saturation;
    /** Cores the JIT compilers of the processes under test used during the step (summed): warm-up still going. */
    public Double compilerCores;
    /** The machine's 1-minute load average at the end of the step: other work on the machine shows here. */
    public String loadAverage;

    public double failureRate() {
      return sent == 0 ? 0 : (errors + timeouts) / (double) sent;
    }
  }

  /** One scenario. */
  public static final class Scenario {
    public String name;
    public String description;
    public String body;
    public int bodyBytes;
    public String status = "ok";
    public String failure;
    public String note;
    public double startSeconds;
    public int processes;
    public Double idleRssMb;
    public Double peakRssMb;
    public Double gcPauseMsTotal;
    public Integer maxRateAddedP99Under5ms;
    /** Highest rate of the ladder that did not saturate (see Bench#measure). */
    public Integer maxUnsaturatedRate;
    public String warmup;
    /** For a scenario that {@link dev.turnpike.bench.Scenario#settlesJit settles the JIT}: how that went. */
    public String jitSettle;
    /** Quick runs: what {@link Smoke} counted over the warm-up and the steps (null in a full run). */
    public String smoke;
    /** A third-party gateway (see {@link dev.turnpike.bench.Scenario#peer}). */
    public boolean peer;
    public List<Step> steps = new ArrayList<>();
    /** One burst per spend cap the scenario set up (empty when it has none). */
    public List<Overshoot> overshoot = new ArrayList<>();
  }

  /**
   * {@code requests} fired at once under a fresh cap of {@code capUsd}, each known to cost {@code costPerRequestUsd}:
   * how many were admitted (a 200 ending in message_stop), how many refused for the cap (402 or 429, by status in
   * {@code outcomes}), and what the system itself recorded as spent once it settled. {@code spentOverCap} above 1 is
   * overshoot. {@code nextRequest} is what one more request got once the spent figure had settled (it is not in
   * {@code spentUsd}). {@code error} says why the burst could not be measured (the other fields are then unset).
   */
  public record Overshoot(double capUsd, int requests, long admitted, long refused, long otherFailures,
                          Map<String, Integer> outcomes, Double spentUsd, Double spentOverCap,
                          double costPerRequestUsd, double admittedCostUsd, Double reservedAfterUsd,
                          Double slowestAnswerMs, Double settleSeconds, String nextRequest, String note,
                          String error) {
    static Overshoot failed(double capUsd, int requests, double costPerRequestUsd, String note, String error) {
      return new Overshoot(capUsd, requests, 0, 0, 0, Map.of(), null, null, costPerRequestUsd, 0, null, null, null,
          null, note, error);
    }
  }

  /** One target from the issue, evaluated. */
  public record Target(String target, String measured, Boolean met) {}
}
