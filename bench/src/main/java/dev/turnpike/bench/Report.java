package dev.turnpike.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Writes {@code latest.json}, {@code latest.md} and {@code latest.png}, and evaluates the issue's targets. */
final class Report {
  private final Plan plan;
  private final Map<String, Object> machine;
  private final List<Results.Scenario> scenarios;
  private final double seconds;
  private final String runId;
  private final List<Results.Target> targets;

  Report(Plan plan, Map<String, Object> machine, List<Results.Scenario> scenarios, double seconds, String runId) {
    this.plan = plan;
    this.machine = machine;
    this.scenarios = scenarios;
    this.seconds = seconds;
    this.runId = runId;
    this.targets = evaluateTargets();
  }

  /** Re-reads a {@code latest.json} (to redraw the Markdown and the chart after a change to this class). */
  @SuppressWarnings("unchecked")
  static Report read(Path json) throws IOException {
    ObjectMapper mapper = new ObjectMapper()
        .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    com.fasterxml.jackson.databind.JsonNode root = mapper.readTree(json.toFile());
    com.fasterxml.jackson.databind.JsonNode p = root.path("plan");
    Plan base = "quick".equals(root.path("mode").asText()) ? Plan.quickRun() : Plan.fullRun();
    Plan plan = new Plan(base.quick(), mapper.convertValue(p.path("large_rates"), List.class),
        mapper.convertValue(p.path("small_rates"), List.class), base.peerLadder(),
        java.time.Duration.ofSeconds(p.path("step_seconds").asLong()),
        java.time.Duration.ofSeconds(p.path("warmup_seconds").asLong()),
        java.time.Duration.ofSeconds(p.path("drain_seconds").asLong()), p.path("fake_large").asText(),
        p.path("fake_small").asText(), p.has("burst_requests") ? new Plan.Burst(p.path("burst_requests").asInt(),
            mapper.convertValue(p.path("burst_caps_usd"), List.class)) : base.burst());
    Map<String, Object> machine = mapper.convertValue(root.path("machine"), LinkedHashMap.class);
    List<Results.Scenario> scenarios = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode s : root.path("scenarios")) {
      scenarios.add(mapper.treeToValue(s, Results.Scenario.class));
    }
    return new Report(plan, machine, scenarios, root.path("wall_seconds").asDouble(), root.path("run_id").asText());
  }

  void write(Path dir) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run_id", runId);
    json.put("mode", plan.quick() ? "quick" : "full");
    json.put("wall_seconds", Math.round(seconds));
    json.put("machine", machine);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("step_seconds", plan.step().toSeconds());
    p.put("warmup_seconds", plan.warmup().toSeconds());
    p.put("drain_seconds", plan.drain().toSeconds());
    p.put("large_rates", plan.largeLadder());
    p.put("small_rates", plan.smallLadder());
    p.put("fake_large", FakeScript.parse(plan.largeScript()).spec());
    p.put("fake_small", FakeScript.parse(plan.smallScript()).spec());
    p.put("latency", "ms from the intended send time (open loop); added = scenario minus direct at the same rate "
        + "and body, percentile by percentile");
    p.put("burst_requests", plan.burst().requests());
    p.put("burst_caps_usd", plan.burst().capsUsd());
    json.put("plan", p);
    json.put("targets", targets);
    // derived from the scenarios below, gathered here for reading: the side-by-side tables of latest.md
    json.put("overshoot", overshootRows());
    Map<String, Object> vs = comparison(GOVERNED, CLAUDE_GATEWAY);
    if (vs != null) {
      json.put("comparisons", Map.of(GOVERNED + " vs " + CLAUDE_GATEWAY, vs));
    }
    json.put("scenarios", scenarios);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    mapper.setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.FIELD,
        com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.PUBLIC_ONLY);
    Files.writeString(dir.resolve("latest.json"), mapper.writeValueAsString(json) + "\n");
    Files.writeString(dir.resolve("latest.md"), markdown());
    chart(dir.resolve("latest.png"));
  }

  // ---------------------------------------------------------------- peer comparisons

  private static final String GOVERNED = "governed";
  private static final String CLAUDE_GATEWAY = "claude-gateway";

  /** Every burst of every scenario, one row each, with the scenario's name. */
  private List<Map<String, Object>> overshootRows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Results.Scenario s : scenarios) {
      for (Results.Overshoot o : s.overshoot) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("scenario", s.name);
        row.put("cap_usd", o.capUsd());
        row.put("requests", o.requests());
        row.put("admitted", o.admitted());
        row.put("refused", o.refused());
        row.put("other_failures", o.otherFailures());
        row.put("spent_usd", o.spentUsd());
        row.put("spent_over_cap", o.spentOverCap());
        row.put("cost_per_request_usd", o.costPerRequestUsd());
        row.put("next_request", o.nextRequest());
        row.put("error", o.error());
        rows.add(row);
      }
    }
    return rows;
  }

  /**
   * Turnpike's scenario {@code ours} against the peer {@code theirs} at every rate both were driven at: added
   * latency to the first and last byte, CPU per request, and each one's highest rates. Null unless both ran.
   */
  private Map<String, Object> comparison(String ours, String theirs) {
    Results.Scenario a = scenario(ours);
    Results.Scenario b = scenario(theirs);
    if (a == null || b == null) {
      return null;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Results.Step x : a.steps) {
      Results.Step y = at(b, x.rate);
      if (y == null) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("rate", x.rate);
      row.put(ours, side(x));
      row.put(theirs, side(y));
      rows.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rates", rows);
    out.put("max_rate_added_p99_under_5ms", Map.of(ours, String.valueOf(a.maxRateAddedP99Under5ms),
        theirs, String.valueOf(b.maxRateAddedP99Under5ms)));
    out.put("max_unsaturated_rate", Map.of(ours, String.valueOf(a.maxUnsaturatedRate),
        theirs, String.valueOf(b.maxUnsaturatedRate)));
    return out;
  }

  private static Map<String, Object> side(Results.Step x) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("added_first_byte_p50_ms", x.addedTtfb == null ? null : x.addedTtfb.p50());
    m.put("added_first_byte_p99_ms", x.addedTtfb == null ? null : x.addedTtfb.p99());
    m.put("added_last_byte_p50_ms", x.addedTtlb == null ? null : x.addedTtlb.p50());
    m.put("added_last_byte_p99_ms", x.addedTtlb == null ? null : x.addedTtlb.p99());
    m.put("cpu_ms_per_request", x.cpuSecondsPer1k);
    m.put("failed", x.errors + x.timeouts);
    m.put("saturated", x.saturated);
    return m;
  }

  private void comparisonMarkdown(StringBuilder b, String ours, String theirs) {
    Results.Scenario a = scenario(ours);
    Results.Scenario c = scenario(theirs);
    if (a == null || c == null) {
      return;
    }
    b.append("\n## ").append(ours).append(" vs ").append(theirs).append("\n\nAdded latency in ms, p50 / p99 (same ")
        .append("fake, same bodies, spend metered by both); CPU: ms of the system under test per request, all its ")
        .append("processes.\n\n| rate | ").append(ours).append(" first byte | ").append(theirs)
        .append(" first byte | ").append(ours).append(" last byte | ").append(theirs).append(" last byte | ")
        .append(ours).append(" CPU | ").append(theirs).append(" CPU |\n|---|---|---|---|---|---|---|\n");
    for (Results.Step x : a.steps) {
      Results.Step y = at(c, x.rate);
      if (y == null) {
        continue;
      }
      b.append("| ").append(x.rate).append(" | ").append(p5099(x.addedTtfb, x)).append(" | ")
          .append(p5099(y.addedTtfb, y)).append(" | ").append(p5099(x.addedTtlb, x)).append(" | ")
          .append(p5099(y.addedTtlb, y)).append(" | ").append(f(x.cpuSecondsPer1k)).append(" | ")
          .append(f(y.cpuSecondsPer1k)).append(" |\n");
    }
    b.append("\nHighest rate with added p99 < 5 ms: ").append(ours).append(' ').append(rate(a.maxRateAddedP99Under5ms))
        .append(", ").append(theirs).append(' ').append(rate(c.maxRateAddedP99Under5ms))
        .append("; highest unsaturated rate: ").append(ours).append(' ').append(rate(a.maxUnsaturatedRate))
        .append(", ").append(theirs).append(' ').append(rate(c.maxUnsaturatedRate)).append(".\n");
  }

  private static String p5099(Results.Pct p, Results.Step x) {
    String v = p == null ? "-" : f(p.p50()) + " / " + f(p.p99());
    return x.saturated ? v + " (sat.)" : v;
  }

  private static String rate(Integer r) {
    return r == null ? "none" : r + " req/s";
  }

  private void overshootMarkdown(StringBuilder b) {
    if (scenarios.stream().allMatch(s -> s.overshoot.isEmpty())) {
      return;
    }
    b.append("\n## Overshoot\n\n").append(plan.burst().requests()).append(" requests fired at once (within a ")
        .append("millisecond) under a fresh spend cap, after the scenario's ladder; each costs a known amount (the ")
        .append("fake's usage at the configured prices). *Spent* is what the gateway itself recorded once it ")
        .append("settled; above 1x the cap is overshoot. *Next* is one more request once it had settled (not in ")
        .append("*spent*).\n\n| scenario | cap | admitted | refused | other failures | spent | spent / cap | ")
        .append("admitted x cost | next | how it enforces |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (Results.Scenario s : scenarios) {
      for (Results.Overshoot o : s.overshoot) {
        b.append("| ").append(s.name).append(" | ").append(usd(o.capUsd())).append(" | ");
        if (o.error() != null) {
          b.append("**not measured**: ").append(o.error().replace("|", "/").replace("\n", " "))
              .append(" | | | | | | | ").append(o.note() == null ? "" : o.note()).append(" |\n");
          continue;
        }
        List<String> refusals = new ArrayList<>();
        o.outcomes().forEach((k, v) -> {
          if (k.startsWith("HTTP 402") || k.startsWith("HTTP 429")) {
            refusals.add(k.substring(5));
          }
        });
        b.append(o.admitted()).append(" of ").append(o.requests()).append(" | ").append(o.refused())
            .append(refusals.isEmpty() ? "" : " (" + String.join(", ", refusals) + ")").append(" | ")
            .append(o.otherFailures()).append(" | ").append(usd(o.spentUsd())).append(" | ")
            .append(String.format(Locale.ROOT, "%.2fx", o.spentOverCap())).append(" | ")
            .append(usd(o.admittedCostUsd())).append(" | ").append(o.nextRequest() == null ? "-" : o.nextRequest())
            .append(" | ").append(o.note() == null ? "" : o.note()).append(" |\n");
      }
    }
  }

  private static String usd(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "$%.4f", d);
  }

  // ---------------------------------------------------------------- targets

  private Results.Scenario scenario(String name) {
    return scenarios.stream().filter(s -> s.name.equals(name) && "ok".equals(s.status)).findFirst().orElse(null);
  }

  private static Results.Step at(Results.Scenario s, int rate) {
    return s == null ? null : s.steps.stream().filter(x -> x.rate == rate).findFirst().orElse(null);
  }

  private List<Results.Target> evaluateTargets() {
    List<Results.Target> out = new ArrayList<>();
    Results.Step pass = at(scenario("passthrough"), 200);
    out.add(pass == null ? new Results.Target("passthrough, Claude Code bodies, 200 req/s: added p50 < 0.5 ms and "
        + "p99 < 2 ms", "not measured", null)
        : new Results.Target("passthrough, Claude Code bodies, 200 req/s: added p50 < 0.5 ms and p99 < 2 ms",
            added(pass), under(pass.addedTtfb.p50(), 0.5) && under(pass.addedTtlb.p50(), 0.5)
            && under(pass.addedTtfb.p99(), 2) && under(pass.addedTtlb.p99(), 2) && pass.failureRate() == 0));
    // Two scenarios minutes apart, each on fresh JVMs: the machine's drift and each JVM's JIT weigh as much as what
    // is compared, so this reading is shown, not judged; observability-pair asks the same question paired.
    Results.Step bare = at(scenario("passthrough-bare"), 200);
    String sequential = "passthrough (request log and metrics on) against passthrough-bare (both off), 200 req/s, "
        + "run one after the other: a drift check, observability-pair below is the verdict";
    if (pass == null || bare == null) {
      out.add(new Results.Target(sequential, "not measured", null));
    } else {
      Double p50 = minus(pass.ttlb.p50(), bare.ttlb.p50());
      Double p99 = minus(pass.ttlb.p99(), bare.ttlb.p99());
      out.add(new Results.Target(sequential, String.format(Locale.ROOT,
          "last byte p50 %s / p99 %s ms over passthrough-bare", f(p50), f(p99)), null));
    }
    Results.Step pair = at(scenario("observability-pair"), 200);
    if (pair == null || pair.ttlbByEndpoint == null || pair.ttlbByEndpoint.size() != 2) {
      out.add(new Results.Target("observability-pair, 200 req/s: the defaults' node within 0.1 ms p50 of the node with "
          + "request log and metrics off, requests alternated between them", "not measured", null));
    } else {
      Double p50 = minus(pair.ttlbByEndpoint.get(0).p50(), pair.ttlbByEndpoint.get(1).p50());
      Double p99 = minus(pair.ttlbByEndpoint.get(0).p99(), pair.ttlbByEndpoint.get(1).p99());
      out.add(new Results.Target("observability-pair, 200 req/s: the defaults' node within 0.1 ms p50 of the node with "
          + "request log and metrics off, requests alternated between them", String.format(Locale.ROOT,
          "last byte p50 %s / p99 %s ms over the bare node (%d s, %d requests; CPU per 1,000 requests %s s "
          + "defaults, %s s bare; JIT %s cores during the step)", f(p50), f(p99),
          Math.round(pair.sent / Math.max(1, pair.sentPerSecond)), pair.sent, cpuOf(pair, 0), cpuOf(pair, 1),
          f(pair.compilerCores)),
          p50 != null && p50 <= 0.1 && pair.failureRate() == 0));
    }
    Results.Step tr = at(scenario("translate"), 200);
    out.add(new Results.Target("translate, 200 req/s: added p99 < 3 ms", tr == null ? "not measured" : added(tr),
        tr == null ? null : under(tr.addedTtfb.p99(), 3) && under(tr.addedTtlb.p99(), 3) && tr.failureRate() == 0));
    Results.Step routed = at(scenario("routed"), 200);
    if (routed == null || pass == null) {
      out.add(new Results.Target("routed (50 rules, affinity), 200 req/s: at most 0.2 ms p50 and 0.5 ms p99 over "
          + "passthrough in the same run", "not measured", null));
    } else {
      Double p50 = minus(routed.ttlb.p50(), pass.ttlb.p50());
      Double p99 = minus(routed.ttlb.p99(), pass.ttlb.p99());
      out.add(new Results.Target("routed (50 rules, affinity), 200 req/s: at most 0.2 ms p50 and 0.5 ms p99 over "
          + "passthrough in the same run", String.format(Locale.ROOT, "last byte p50 %s / p99 %s ms over passthrough",
          f(p50), f(p99)), p50 != null && p99 != null && p50 <= 0.2 && p99 <= 0.5 && routed.failureRate() == 0));
    }
    Results.Step governed = at(scenario("governed"), 200);
    Results.Step cluster2 = at(scenario("cluster2"), 200);
    if (governed == null || cluster2 == null) {
      out.add(new Results.Target("governed (budgets and a rate limit, 2 nodes), 200 req/s: at most 0.3 ms p50 and 1 ms "
          + "p99 over cluster2 in the same run", "not measured", null));
    } else {
      Double p50 = minus(governed.ttlb.p50(), cluster2.ttlb.p50());
      Double p99 = minus(governed.ttlb.p99(), cluster2.ttlb.p99());
      out.add(new Results.Target("governed (budgets and a rate limit, 2 nodes), 200 req/s: at most 0.3 ms p50 and 1 ms "
          + "p99 over cluster2 in the same run", String.format(Locale.ROOT, "last byte p50 %s / p99 %s ms over cluster2",
          f(p50), f(p99)), p50 != null && p99 != null && p50 <= 0.3 && p99 <= 1 && governed.failureRate() == 0));
    }
    Results.Scenario small = scenario("small");
    Results.Step sm = at(small, 2000);
    out.add(new Results.Target("small (1 KB), one node: 2,000 req/s with added p99 < 5 ms",
        sm == null ? (small == null ? "not measured" : "2,000 req/s not reached (max with added p99 < 5 ms: "
            + small.maxRateAddedP99Under5ms + ")") : added(sm) + ", " + (sm.errors + sm.timeouts) + " failed",
        small == null ? null : sm != null && under(sm.addedTtfb.p99(), 5) && under(sm.addedTtlb.p99(), 5)
            && sm.failureRate() < 0.001));
    Results.Scenario peer = scenario("peer");
    Results.Scenario translate = scenario("translate");
    if (peer != null && translate != null) {
      // the like-for-like comparison: both translate Anthropic -> OpenAI; at the highest rate both ran unsaturated
      Results.Step common = null;
      for (Results.Step ps : peer.steps) {
        Results.Step ts = at(translate, ps.rate);
        if (ts != null && !ps.saturated && !ts.saturated && ps.addedTtlb.p99() != null && ts.addedTtlb.p99() != null) {
          common = ps;
        }
      }
      if (common != null) {
        Results.Step ts = at(translate, common.rate);
        double ratioFirst = ratio(ts.addedTtfb.p99(), common.addedTtfb.p99());
        double ratioLast = ratio(ts.addedTtlb.p99(), common.addedTtlb.p99());
        out.add(new Results.Target("added p99 at most 1/5 of claude-code-router's (translate vs peer at "
            + common.rate + " req/s)", String.format(Locale.ROOT, "first byte %.2f vs %.2f ms (%.2fx), last byte "
                + "%.2f vs %.2f ms (%.2fx)", ts.addedTtfb.p99(), common.addedTtfb.p99(), ratioFirst,
            ts.addedTtlb.p99(), common.addedTtlb.p99(), ratioLast), ratioFirst <= 0.2 && ratioLast <= 0.2));
      } else {
        out.add(new Results.Target("added p99 at most 1/5 of claude-code-router's", "no rate where both ran "
            + "unsaturated", null));
      }
      Integer tMax = translate.maxRateAddedP99Under5ms;
      Integer pMax = peer.maxRateAddedP99Under5ms;
      Integer tSat = translate.maxUnsaturatedRate;
      Integer pSat = peer.maxUnsaturatedRate;
      String measured = "added p99 < 5 ms: translate " + (tMax == null ? "none" : tMax + " req/s") + ", peer "
          + (pMax == null ? "none" : pMax + " req/s") + "; highest unsaturated rate: translate "
          + (tSat == null ? "none" : tSat + " req/s") + ", peer " + (pSat == null ? "none" : pSat + " req/s");
      boolean byFiveMs = tMax != null && (pMax == null || tMax >= 3 * pMax);
      boolean bySaturation = tSat != null && (pSat == null || tSat >= 3 * pSat);
      out.add(new Results.Target("highest rate at least 3x claude-code-router's", measured,
          byFiveMs && bySaturation));
    } else {
      String why = peer == null ? scenarios.stream().filter(s -> s.name.equals("peer")).map(s -> "peer: " + s.failure)
          .findFirst().orElse("peer not run") : "translate not run";
      out.add(new Results.Target("added p99 at most 1/5 of claude-code-router's", why, null));
      out.add(new Results.Target("highest rate at least 3x claude-code-router's", why, null));
    }
    double idle = 0;
    double peak = 0;
    String idleWho = "";
    String peakWho = "";
    for (Results.Scenario s : scenarios) {
      if (s.idleRssMb != null && !isPeer(s) && s.idleRssMb > idle) {
        idle = s.idleRssMb;
        idleWho = s.name;
      }
      if (s.peakRssMb != null && !isPeer(s) && s.peakRssMb > peak) {
        peak = s.peakRssMb;
        peakWho = s.name;
      }
    }
    out.add(new Results.Target("node idles under 300 MB RSS", idle == 0 ? "not measured"
        : String.format(Locale.ROOT, "%.0f MB (highest, %s)", idle, idleWho), idle == 0 ? null : idle < 300));
    StringBuilder sustained = new StringBuilder();
    for (Results.Scenario s : scenarios) {
      if (s.peakRssMb == null || isPeer(s) || s.maxUnsaturatedRate == null) {
        continue;
      }
      Results.Step top = at(s, s.maxUnsaturatedRate);
      if (top != null && top.rssMb != null) {
        sustained.append(sustained.length() == 0 ? "" : ", ").append(s.name).append(' ')
            .append(String.format(Locale.ROOT, "%.0f", top.rssMb)).append(" MB @").append(top.rate);
      }
    }
    out.add(new Results.Target("node stays under 600 MB RSS at the highest rate", peak == 0 ? "not measured"
        : String.format(Locale.ROOT, "%.0f MB peak (VmHWM over the whole ladder, saturated step included, %s); "
            + "RSS at the highest unsaturated rate: %s", peak, peakWho, sustained),
        peak == 0 ? null : peak < 600));
    return out;
  }

  /** Results written before the flag existed name their only peer "peer". */
  private static boolean isPeer(Results.Scenario s) {
    return s.peer || "peer".equals(s.name);
  }

  private static double ratio(Double a, Double b) {
    if (a == null || b == null || b <= 0) {
      return Double.NaN;
    }
    return Math.round(Math.max(0, a) / b * 100) / 100.0;
  }

  private static Double minus(Double a, Double b) {
    return a == null || b == null ? null : a - b;
  }

  private static boolean under(Double v, double limit) {
    return v != null && v < limit;
  }

  private static String added(Results.Step s) {
    return String.format(Locale.ROOT, "first byte p50 %s / p99 %s ms, last byte p50 %s / p99 %s ms",
        f(s.addedTtfb.p50()), f(s.addedTtfb.p99()), f(s.addedTtlb.p50()), f(s.addedTtlb.p99()));
  }

  String targetsText() {
    StringBuilder b = new StringBuilder("Targets:\n");
    for (Results.Target t : targets) {
      b.append("  [").append(t.met() == null ? " ? " : t.met() ? "met" : "MISSED").append("] ").append(t.target())
          .append(": ").append(t.measured()).append('\n');
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- markdown

  private String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Turnpike benchmark (").append(plan.quick() ? "quick" : "full").append(" run ").append(runId)
        .append(")\n\n");
    b.append("Machine: ").append(machine.get("cores")).append(" cores, ").append(machine.get("cpu_model"))
        .append(", ").append(machine.get("memory_gb")).append(" GB, ").append(machine.get("java")).append(", node ")
        .append(machine.get("node")).append(", load average ").append(machine.get("load_average_start"))
        .append(" at start / ").append(machine.get("load_average_end")).append(" at end; commit ")
        .append(machine.get("git_commit")).append(" (").append(machine.get("git_dirty_files"))
        .append(" modified tracked files). Wall time ").append(Math.round(seconds)).append(" s.\n\n");
    b.append("Load generator, fake upstream and the system under test share the same cores. Open loop: requests ")
        .append("leave on the clock, latency counts from the intended send time. Steps of ")
        .append(plan.step().toSeconds()).append(" s after a ").append(plan.warmup().toSeconds())
        .append(" s warm-up. Fake upstream: `").append(FakeScript.parse(plan.largeScript()).spec())
        .append("` for Claude Code bodies, `").append(FakeScript.parse(plan.smallScript()).spec())
        .append("` for 1 KB bodies (time to first byte in ms, delta events per second, delta events). ")
        .append("*Added* = scenario minus `direct` at the same rate and body, percentile by percentile, in ms.\n\n");
    b.append("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
    for (Results.Target t : targets) {
      b.append("| ").append(t.target()).append(" | ").append(t.measured()).append(" | ")
          .append(t.met() == null ? "n/a" : t.met() ? "yes" : "**no**").append(" |\n");
    }
    b.append("\n## Scenarios\n\n| scenario | what | body | max rate with added p99 < 5 ms | highest unsaturated "
        + "rate | idle RSS MB | peak RSS MB | GC pauses ms | failed requests | note |\n"
        + "|---|---|---|---|---|---|---|---|---|---|\n");
    for (Results.Scenario s : scenarios) {
      long failed = s.steps.stream().mapToLong(x -> x.errors + x.timeouts).sum();
      b.append("| ").append(s.name).append(" | ").append(s.description).append(" | ").append(s.bodyBytes > 0
              ? String.format(Locale.ROOT, "%.1f KB", s.bodyBytes / 1024.0) : "").append(" | ")
          .append("ok".equals(s.status) ? (s.maxRateAddedP99Under5ms == null ? "none" : s.maxRateAddedP99Under5ms
              + " req/s") : "**failed**: " + s.failure.replace("\n", " ").replace("|", "/"))
          .append(" | ").append(s.maxUnsaturatedRate == null ? "-" : s.maxUnsaturatedRate + " req/s")
          .append(" | ").append(f(s.idleRssMb)).append(" | ").append(f(s.peakRssMb)).append(" | ")
          .append(f(s.gcPauseMsTotal)).append(" | ").append(failed).append(" | ").append(s.note == null ? ""
              : s.note).append(s.jitSettle == null ? "" : "; JIT " + s.jitSettle).append(" |\n");
    }
    b.append("\n## Steps\n\nLatency columns: p50 / p90 / p99 / p99.9 in ms. CPU: seconds of the system under test "
        + "per 1,000 requests (all its processes). JIT cores: what its JVMs' JIT compilers used during the step, "
        + "in cores (a JVM still warming up).\n\n"
        + "| scenario | rate | sent/s | ok | failed | first byte | last byte | added first byte | added last byte "
        + "| CPU s/1k | JIT cores | RSS MB | GC ms | load |\n"
        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Results.Scenario s : scenarios) {
      for (Results.Step x : s.steps) {
        b.append("| ").append(s.name).append(" | ").append(x.rate).append(" | ").append(f(x.sentPerSecond))
            .append(" | ").append(x.ok).append(" | ").append(failed(x)).append(x.saturated ? " (sat.)" : "")
            .append(" | ").append(pct(x.ttfb)).append(" | ").append(pct(x.ttlb)).append(" | ")
            .append(x.addedTtfb == null ? "" : pct(x.addedTtfb)).append(" | ")
            .append(x.addedTtlb == null ? "" : pct(x.addedTtlb)).append(" | ").append(f(x.cpuSecondsPer1k))
            .append(" | ").append(f(x.compilerCores)).append(" | ").append(f(x.rssMb)).append(" | ")
            .append(f(x.gcPauseMs)).append(" | ")
            .append(x.loadAverage == null ? "" : x.loadAverage).append(" |\n");
      }
    }
    comparisonMarkdown(b, GOVERNED, CLAUDE_GATEWAY);
    overshootMarkdown(b);
    if (plan.quick()) {
      b.append("\n## Smoke check\n\nA quick run checks that each scenario runs: a process under test that exits, no "
          + "request succeeding or a single protocol error (a status other than 529/503/504/408, an answer cut short "
          + "or not ending in `message_stop`) fails it; refusals for capacity, timeouts and slow answers on a busy "
          + "machine do not. Counts include the warm-up. The peer is exempt: its failure (e.g. no npm) is only "
          + "reported.\n\n");
      for (Results.Scenario s : scenarios) {
        b.append("- ").append(s.name).append(": ").append("ok".equals(s.status) ? "ran" : "**failed**: "
            + s.failure.replace("\n", " ")).append(s.smoke == null ? "" : "; " + s.smoke).append('\n');
      }
    }
    List<String> errors = new ArrayList<>();
    for (Results.Scenario s : scenarios) {
      for (Results.Step x : s.steps) {
        if (!x.errorKinds.isEmpty()) {
          errors.add("- " + s.name + " @" + x.rate + ": " + x.errorKinds);
        }
      }
    }
    if (!errors.isEmpty()) {
      b.append("\n## Errors\n\n").append(String.join("\n", errors)).append('\n');
    }
    b.append("\n![latency vs rate](latest.png)\n");
    return b.toString();
  }

  /** Failed requests, split by cause when the JSON has the split (older files do not). */
  private static String failed(Results.Step x) {
    long failed = x.errors + x.timeouts;
    if (failed == 0 || x.overloaded + x.protocolErrors != x.errors) {
      return String.valueOf(failed);
    }
    List<String> parts = new ArrayList<>();
    if (x.overloaded > 0) {
      parts.add(x.overloaded + " refused");
    }
    if (x.timeouts > 0) {
      parts.add(x.timeouts + " t/o");
    }
    if (x.protocolErrors > 0) {
      parts.add(x.protocolErrors + " protocol");
    }
    return failed + " (" + String.join(", ", parts) + ")";
  }

  private static String pct(Results.Pct p) {
    return f(p.p50()) + " / " + f(p.p90()) + " / " + f(p.p99()) + " / " + f(p.p999());
  }

  private static String cpuOf(Results.Step step, int process) {
    List<Double> each = step.cpuSecondsPer1kByProcess;
    return each == null || each.size() <= process ? "-" : f(each.get(process));
  }

  private static String f(Double d) {
    if (d == null) {
      return "-";
    }
    if (Math.abs(d) >= 100) {
      return String.format(Locale.ROOT, "%.0f", d);
    }
    return String.format(Locale.ROOT, Math.abs(d) >= 10 ? "%.1f" : "%.2f", d);
  }

  // ---------------------------------------------------------------- chart

  private void chart(Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    LogarithmicAxis rate = new LogarithmicAxis("offered rate (requests/s, log scale)");
    rate.setAllowNegativesFlag(false);
    rate.setStrictValuesFlag(false);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(rate);
    plot.setGap(12);
    XYPlot first = subplot("p99 to last byte (ms, log)", x -> x.ttlb.p99(), true);
    plot.add(first, 1);
    plot.add(subplot("p50 to last byte (ms, log)", x -> x.ttlb.p50(), true), 1);
    plot.add(subplot("added p99 to last byte (ms, log; <= 0.1 drawn at 0.1)",
        x -> x.addedTtlb == null || x.addedTtlb.p99() == null ? null : Math.max(0.1, x.addedTtlb.p99()), true), 1);
    plot.setFixedLegendItems(first.getLegendItems());
    JFreeChart chart = new JFreeChart("Turnpike: latency vs offered rate (" + (plan.quick() ? "quick" : "full")
        + " run " + runId + ")", new Font("SansSerif", Font.BOLD, 15), plot, true);
    chart.addSubtitle(new TextTitle(machine.get("cores") + " cores, " + machine.get("cpu_model") + ", load avg "
        + machine.get("load_average_start") + "; open loop, latency from intended send time; fake: "
        + FakeScript.parse(plan.largeScript()).spec() + " / " + FakeScript.parse(plan.smallScript()).spec()));
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 1100, 1200);
  }

  private XYPlot subplot(String label, Function<Results.Step, Double> value, boolean log) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Results.Scenario s : scenarios) {
      XYSeries series = new XYSeries(s.name, true, false);
      for (Results.Step x : s.steps) {
        Double v = value.apply(x);
        if (v != null && (!log || v > 0)) {
          series.add(x.rate, v);
        }
      }
      data.addSeries(series);
    }
    NumberAxis axis;
    if (log) {
      LogarithmicAxis l = new LogarithmicAxis(label);
      l.setAllowNegativesFlag(false);
      l.setStrictValuesFlag(false);
      l.setAutoRangeNextLogFlag(true);
      axis = l;
    } else {
      axis = new NumberAxis(label);
      axis.setAutoRangeIncludesZero(true);
    }
    XYPlot p = new XYPlot(data, null, axis, renderer(data.getSeriesCount()));
    p.setBackgroundPaint(Color.WHITE);
    p.setRangeGridlinePaint(Color.LIGHT_GRAY);
    p.setDomainGridlinePaint(Color.LIGHT_GRAY);
    return p;
  }

  private static XYLineAndShapeRenderer renderer(int n) {
    Color[] colors = {Color.BLACK, Color.GRAY, new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xd62728), new Color(0x8c564b), new Color(0xe377c2)};
    java.awt.Shape[] shapes = org.jfree.chart.plot.DefaultDrawingSupplier.createStandardSeriesShapes();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < n; i++) {
      r.setSeriesShape(i, shapes[i % shapes.length]);
      r.setSeriesPaint(i, colors[i % colors.length]);
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    return r;
  }
}
