package dev.turnpike.bench;

import dev.turnpike.bench.scenarios.Direct;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code java -jar turnpike-bench.jar --repo ROOT [--quick] [scenario...]}: starts the fake upstream, runs the
 * baseline and the scenarios over their rate ladders, and writes {@code latest.json}, {@code latest.md} and
 * {@code latest.png}. {@code bench/run.sh} builds what is needed and calls this.
 */
public final class Bench {
  private final Plan plan;
  private final Path repo;
  private final Path out;
  private final Env env;
  private final Proc fake;
  private final LoadGen load;
  private final Map<String, Results.Step> baselines = new LinkedHashMap<>();

  private Bench(Plan plan, Path repo, Path out, Env env, Proc fake, LoadGen load) {
    this.plan = plan;
    this.repo = repo;
    this.out = out;
    this.env = env;
    this.fake = fake;
    this.load = load;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Path repo = Path.of(".").toAbsolutePath().normalize();
    Path jar = null;
    Path out = null;
    String large = null;
    String small = null;
    Integer stepSeconds = null;
    List<Integer> largeLadder = null;
    List<Integer> smallLadder = null;
    Integer burstRequests = null;
    Integer warmupSeconds = null;
    List<Double> burstCaps = null;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath().normalize();
        case "--jar" -> jar = Path.of(args[++i]).toAbsolutePath();
        case "--out" -> out = Path.of(args[++i]).toAbsolutePath();
        case "--fake-large" -> large = args[++i];
        case "--fake-small" -> small = args[++i];
        case "--step-seconds" -> stepSeconds = Integer.parseInt(args[++i]);
        case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
        case "--rates" -> largeLadder = ints(args[++i]);
        case "--small-rates" -> smallLadder = ints(args[++i]);
        case "--burst" -> burstRequests = Integer.parseInt(args[++i]);
        case "--burst-caps" -> burstCaps = Arrays.stream(args[++i].split(",")).map(String::trim)
            .filter(x -> !x.isEmpty()).map(Double::valueOf).toList();
        case "--rerender" -> { // redraw latest.md and latest.png from latest.json
          Path dir = Path.of(args[++i]);
          Report.read(dir.resolve("latest.json")).write(dir);
          return;
        }
        case "--list" -> {
          Scenarios.all().forEach(s -> System.out.printf("%-15s %s%n", s.name(), s.description()));
          return;
        }
        case "-h", "--help" -> {
          System.out.println("bench/run.sh [--quick] [--rates 50,100,...] [--small-rates 500,...] [--step-seconds N] [--warmup-seconds N]"
              + " [--fake-large name:ttfb=MS,tps=N,tokens=N] [--fake-small ...] [--burst 50] [--burst-caps 0.10,2.00]"
              + " [--list] [scenario...]");
          return;
        }
        default -> {
          if (args[i].startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + args[i]);
          }
          names.add(args[i]);
        }
      }
    }
    Plan plan = quick ? Plan.quickRun() : Plan.fullRun();
    if (large != null || small != null) {
      plan = plan.withScripts(large != null ? large : plan.largeScript(), small != null ? small : plan.smallScript());
    }
    if (stepSeconds != null) {
      plan = plan.withStep(Duration.ofSeconds(stepSeconds));
    }
    if (warmupSeconds != null) {
      plan = plan.withWarmup(Duration.ofSeconds(warmupSeconds));
    }
    if (largeLadder != null || smallLadder != null) {
      plan = plan.withLadders(largeLadder != null ? largeLadder : plan.largeLadder(),
          smallLadder != null ? smallLadder : plan.smallLadder());
    }
    if (burstRequests != null || burstCaps != null) {
      plan = plan.withBurst(new Plan.Burst(burstRequests != null ? burstRequests : plan.burst().requests(),
          burstCaps != null ? burstCaps : plan.burst().capsUsd()));
    }
    if (jar == null) {
      jar = repo.resolve("gateway-app/target/turnpike.jar");
    }
    if (out == null) {
      // a quick run must not overwrite the committed results of the last full run
      out = repo.resolve(quick ? "bench/results/quick" : "bench/results");
    }
    System.exit(run(plan, repo, jar, out, names));
  }

  private static List<Integer> ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf).toList();
  }

  static int run(Plan plan, Path repo, Path jar, Path out, List<String> names) throws Exception {
    long began = System.nanoTime();
    List<Scenario> all = Scenarios.all();
    List<Scenario> selected = new ArrayList<>();
    for (String name : names) {
      Scenario s = all.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() ->
          new IllegalArgumentException("no scenario " + name + "; known: "
              + all.stream().map(Scenario::name).toList()));
      selected.add(s);
    }
    if (selected.isEmpty()) {
      // CI's smoke test runs every scenario that needs nothing beyond the repository, npm and Node
      all.stream().filter(s -> !plan.quick() || s.inQuickRun()).forEach(selected::add);
    }
    selected.removeIf(s -> s instanceof Direct);
    // The baselines: direct for each body kind in use, at the union of the rates that kind is driven at.
    Map<Bodies.Kind, TreeSet<Integer>> baselineRates = new LinkedHashMap<>();
    baselineRates.put(Bodies.Kind.LARGE, new TreeSet<>());
    for (Scenario s : selected) {
      baselineRates.computeIfAbsent(s.body(), k -> new TreeSet<>()).addAll(s.rates(plan));
    }
    if (baselineRates.get(Bodies.Kind.LARGE).isEmpty()) {
      baselineRates.get(Bodies.Kind.LARGE).addAll(plan.largeLadder());
    }

    String runId = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    Path work = repo.resolve("bench/target/run-" + runId);
    Files.createDirectories(work);
    Files.createDirectories(out);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no gateway jar at " + jar + " (bench/run.sh builds it)");
    }
    // A private copy: another engineer's `mvn package` may rewrite the jar while nodes run from it.
    Path jarCopy = work.resolve("turnpike.jar");
    Files.copy(jar, jarCopy, StandardCopyOption.REPLACE_EXISTING);
    Map<String, Object> machine = Machine.describe(repo);
    log("machine: " + machine);
    log("plan: " + (plan.quick() ? "quick" : "full") + ", step " + plan.step().toSeconds() + " s, warm-up "
        + plan.warmup().toSeconds() + " s, large rates " + plan.largeLadder() + ", small rates " + plan.smallLadder()
        + ", fake " + plan.largeScript() + " / " + plan.smallScript() + ", burst of " + plan.burst().requests()
        + " under caps " + plan.burst().capsUsd() + " USD");

    int fakePort = Env.freePort();
    List<String> fakeCommand = List.of(Env.javaBinary(), "-Xms256m", "-Xmx1g", "-XX:+UseG1GC",
        "-cp", codeSource().toString(), FakeUpstream.class.getName(), "--port", String.valueOf(fakePort),
        "--loops", "2", "--script", plan.largeScript(), "--script", plan.smallScript());
    Proc fake = Proc.start("fake-upstream", fakeCommand, work, Map.of(), work.resolve("fake-upstream.log"), null);
    List<String> nodeOpts = splitOpts(System.getenv("JAVA_OPTS"));
    Env env = new Env(repo, jarCopy, work, runId, fakePort, plan, nodeOpts);
    List<Results.Scenario> results = new ArrayList<>();
    try (LoadGen load = new LoadGen(2)) {
      env.waitReady(fake, fakePort, "/health", Duration.ofSeconds(30));
      log("fake upstream on 127.0.0.1:" + fakePort + ", load generator native transport: " + load.nativeTransport());
      Bench bench = new Bench(plan, repo, out, env, fake, load);
      for (Map.Entry<Bodies.Kind, TreeSet<Integer>> baseline : baselineRates.entrySet()) {
        results.add(bench.runScenario(new Direct(baseline.getKey()), new ArrayList<>(baseline.getValue())));
      }
      for (Scenario s : selected) {
        results.add(bench.runScenario(s, s.rates(plan)));
      }
    } finally {
      env.close();
      fake.stop(Duration.ofSeconds(5));
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    machine.put("load_average_end", Machine.loadAverage());
    Report report = new Report(plan, machine, results, seconds, runId);
    report.write(out);
    log(String.format(Locale.ROOT, "done in %.0f s: %s", seconds, out.resolve("latest.md")));
    System.out.println(report.targetsText());
    // Missed targets never fail a run; a Turnpike scenario that could not run at all does (the CI smoke test).
    // The peers are exempt: they depend on npm, a third-party CLI (and PostgreSQL), and their failure is reported.
    List<String> broken = results.stream().filter(r -> "failed".equals(r.status) && !r.peer)
        .map(r -> r.name + ": " + r.failure).toList();
    if (!broken.isEmpty()) {
      System.err.println("bench: scenarios that could not run:\n  " + String.join("\n  ", broken));
      return 3;
    }
    return 0;
  }

  private Results.Scenario runScenario(Scenario scenario, List<Integer> rates) {
    Results.Scenario r = new Results.Scenario();
    r.name = scenario.name();
    r.description = scenario.description();
    r.body = scenario.body().label();
    r.peer = scenario.peer();
    log("== " + r.name + ": " + r.description);
    long t = System.nanoTime();
    Scenario.Running running = null;
    try {
      running = scenario.start(env);
      r.startSeconds = Math.round((System.nanoTime() - t) / 1e7) / 100.0;
      r.note = running.note();
      List<Proc> procs = running.processes();
      r.processes = procs.size();
      List<Endpoint> endpoints = running.endpoints();
      List<List<Buffer>> bodies = bodiesFor(scenario, endpoints);
      r.bodyBytes = Bodies.averageSize(bodies.get(0));
      if (!procs.isEmpty() && running.freshlyStarted()) {
        Thread.sleep(plan.settle().toMillis());
        r.idleRssMb = round1(procs.stream().mapToDouble(Proc::rssMb).max().orElse(0));
      }
      int warmRate = plan.warmupRate(scenario, rates);
      // Warm up gently first: a cold JVM (interpreter, Hazelcast settling) at full rate only builds a backlog.
      Duration half = plan.warmup().dividedBy(2);
      List<LoadGen.Step> ran = new ArrayList<>(); // every request of the scenario, for the smoke check
      ran.add(load.run(endpoints, bodies, Math.max(5, warmRate / 5), half, Duration.ofSeconds(15)));
      LoadGen.Step warm = load.run(endpoints, bodies, warmRate, half, Duration.ofSeconds(15));
      ran.add(warm);
      r.warmup = warmRate / 5 + " then " + warm.rate + " req/s, " + half.toMillis() / 1000.0 + " s each: " + warm.ok() + " ok, "
          + warm.errors() + " errors (" + warm.overloaded() + " refused for capacity), " + warm.timeouts()
          + " timeouts" + (warm.errorKinds().isEmpty() ? "" : " " + warm.errorKinds());
      log("   warm-up " + r.warmup);
      // A full run measures, so a node that cannot take its warm-up is not worth measuring; a quick run only
      // checks that the scenario runs and leaves the verdict to Smoke, after the steps.
      if (!plan.quick() && (warm.ok() == 0 || warm.ok() < warm.sent() / 2)) {
        throw new IllegalStateException("warm-up failed, most requests did not succeed: " + warm.errorKinds());
      }
      if (!plan.quick() && scenario.settlesJit() && !procs.isEmpty()) {
        // at the ladder's first rate: higher, a JVM still compiling only builds a backlog
        r.jitSettle = settleJit(procs, endpoints, bodies, rates.get(0), ran);
        log("   JIT " + r.jitSettle);
      }
      for (int rate : rates) {
        Results.Step step = measure(scenario, running, endpoints, bodies, rate, ran);
        r.steps.add(step);
        if (step.saturated) {
          log("   saturated at " + rate + " req/s (" + step.saturation + "): higher rates skipped");
          break;
        }
      }
      double cost = Prices.BENCH.costUsd(FakeScript.parse(scenario.body() == Bodies.Kind.SMALL
          ? plan.smallScript() : plan.largeScript()));
      for (SpendCap cap : running.spendCaps()) {
        // after the ladder, so the system is warm; each cap has its own principal, untouched by the ladder
        Results.Overshoot o = BurstUnderCap.measure(load, cap, bodiesFor(scenario, cap.endpoints()),
            plan.burst().requests(), cost);
        r.overshoot.add(o);
        log(String.format(Locale.ROOT, "   burst of %d under a $%.2f cap: %s", o.requests(), o.capUsd(),
            o.error() != null ? "not measured: " + o.error() : o.admitted() + " admitted, " + o.refused()
                + " refused, " + o.otherFailures() + " failed otherwise, $" + o.spentUsd() + " recorded ("
                + o.spentOverCap() + "x the cap) " + o.outcomes() + "; the next request, once settled: "
                + o.nextRequest()));
      }
      if (!procs.isEmpty()) {
        r.peakRssMb = round1(procs.stream().mapToDouble(Proc::peakRssMb).max().orElse(0));
        r.gcPauseMsTotal = round1(procs.stream().mapToDouble(p -> p.gcPauses()[0]).sum());
      }
      // A crash is a scenario that could not run, in either mode; the fake counts, every scenario needs it.
      List<Proc> needed = new ArrayList<>(procs);
      needed.add(fake);
      List<String> dead = new ArrayList<>();
      for (Proc p : needed) {
        if (!p.alive()) {
          dead.add(p.name() + " (" + p.log() + "):\n" + p.tail(10));
        }
      }
      if (plan.quick()) {
        r.smoke = Smoke.summary(ran);
        log("   smoke check: " + r.smoke);
        String failure = Smoke.failure(ran, dead);
        if (failure != null) {
          throw new IllegalStateException(failure);
        }
      } else if (!dead.isEmpty()) {
        throw new IllegalStateException("exited during the run: " + String.join("; ", dead));
      }
    } catch (Exception e) {
      r.status = "failed";
      r.failure = String.valueOf(e.getMessage());
      log("   FAILED: " + r.failure);
    } finally {
      if (running != null) {
        running.close();
      }
    }
    if (scenario instanceof Direct) {
      for (Results.Step s : r.steps) {
        baselines.put(scenario.body() + "@" + s.rate, s);
      }
    } else {
      for (Results.Step s : r.steps) {
        Results.Step base = baselines.get(scenario.body() + "@" + s.rate);
        s.addedTtfb = s.ttfb.minus(base == null ? null : base.ttfb);
        s.addedTtlb = s.ttlb.minus(base == null ? null : base.ttlb);
      }
    }
    Integer best = null;
    for (Results.Step s : r.steps) {
      boolean clean = s.failureRate() < 0.001;
      boolean fast = scenario instanceof Direct || (s.addedTtfb.p99() != null && s.addedTtlb.p99() != null
          && s.addedTtfb.p99() < 5 && s.addedTtlb.p99() < 5);
      if (clean && fast && !s.saturated) {
        best = s.rate;
      }
    }
    r.maxRateAddedP99Under5ms = best;
    r.maxUnsaturatedRate = r.steps.stream().filter(x -> !x.saturated).mapToInt(x -> x.rate).max().isPresent()
        ? r.steps.stream().filter(x -> !x.saturated).mapToInt(x -> x.rate).max().getAsInt() : null;
    return r;
  }

  private List<List<Buffer>> bodiesFor(Scenario scenario, List<Endpoint> endpoints) throws java.io.IOException {
    List<List<Buffer>> bodies = new ArrayList<>();
    for (Endpoint e : endpoints) {
      bodies.add(Bodies.of(scenario.body(), repo, e.model()));
    }
    return bodies;
  }

  /**
   * Keeps the warm-up load going, in slices of {@link #JIT_SLICE}, until over a slice every process's JIT compilers
   * used less than {@link #JIT_QUIET_CORES} of a core, or {@link #JIT_SETTLE_MAX} has passed; says which.
   */
  private String settleJit(List<Proc> procs, List<Endpoint> endpoints, List<List<Buffer>> bodies, int rate,
                           List<LoadGen.Step> ran) {
    long begin = System.nanoTime();
    double busiest;
    do {
      double[] before = procs.stream().mapToDouble(Proc::compilerCpuSeconds).toArray();
      long start = System.nanoTime();
      ran.add(load.run(endpoints, bodies, rate, JIT_SLICE, plan.drain()));
      double seconds = (System.nanoTime() - start) / 1e9;
      busiest = 0;
      for (int i = 0; i < procs.size(); i++) {
        busiest = Math.max(busiest, (procs.get(i).compilerCpuSeconds() - before[i]) / seconds);
      }
      if (Double.isNaN(busiest)) {
        return "not watched (no compiler threads found)";
      }
    } while (busiest >= JIT_QUIET_CORES && System.nanoTime() - begin < JIT_SETTLE_MAX.toNanos());
    long waited = Math.round((System.nanoTime() - begin) / 1e9);
    return String.format(Locale.ROOT, "%s after %d s more at %d req/s (busiest compilers over the last %d s: %.1f%% "
        + "of a core)", busiest < JIT_QUIET_CORES ? "quiet" : "still compiling", waited, rate,
        JIT_SLICE.toSeconds(), 100 * busiest);
  }

  private Results.Step measure(Scenario scenario, Scenario.Running running, List<Endpoint> endpoints,
                               List<List<Buffer>> bodies, int rate, List<LoadGen.Step> ran) {
    List<Proc> procs = running.processes();
    double[] cpuEach0 = procs.stream().mapToDouble(Proc::cpuSeconds).toArray();
    double cpu0 = Arrays.stream(cpuEach0).sum();
    double gc0 = procs.stream().mapToDouble(p -> p.gcPauses()[0]).sum();
    double gcn0 = procs.stream().mapToDouble(p -> p.gcPauses()[1]).sum();
    double fake0 = fake.cpuSeconds();
    double self0 = Machine.selfCpuSeconds();
    double jit0 = procs.stream().mapToDouble(Proc::compilerCpuSeconds).sum();
    long start = System.nanoTime();
    LoadGen.Step step = load.run(endpoints, bodies, rate, scenario.step(plan), plan.drain());
    double jit1 = procs.stream().mapToDouble(Proc::compilerCpuSeconds).sum();
    double elapsed = (System.nanoTime() - start) / 1e9;
    ran.add(step);
    double cpu1 = procs.stream().mapToDouble(Proc::cpuSeconds).sum();
    double fake1 = fake.cpuSeconds();
    double self1 = Machine.selfCpuSeconds();
    Results.Step s = new Results.Step();
    s.rate = rate;
    s.sentPerSecond = round1(step.sentRate());
    s.sent = step.sent();
    s.ok = step.ok();
    s.errors = step.errors();
    s.timeouts = step.timeouts();
    s.overloaded = step.overloaded();
    s.protocolErrors = step.protocolErrors();
    s.errorKinds = step.errorKinds();
    s.ttfb = Results.Pct.of(step.ttfb);
    s.ttlb = Results.Pct.of(step.ttlb);
    s.ttlbByEndpoint = java.util.Arrays.stream(step.ttlbPerEndpoint).map(Results.Pct::of).toList();
    s.sendLag = Results.Pct.of(step.sendLag);
    double k = Math.max(1, s.sent) / 1000.0;
    if (!procs.isEmpty()) {
      s.cpuSecondsPer1k = round3((cpu1 - cpu0) / k);
      if (procs.size() == endpoints.size() && procs.size() > 1) { // one process per endpoint, requests alternated
        s.cpuSecondsPer1kByProcess = new ArrayList<>();
        for (int i = 0; i < procs.size(); i++) {
          s.cpuSecondsPer1kByProcess.add(round3((procs.get(i).cpuSeconds() - cpuEach0[i]) / (k / procs.size())));
        }
      }
      s.rssMb = round1(procs.stream().mapToDouble(Proc::rssMb).max().orElse(0));
      // the GC log is written as it goes; a pause logged a moment late lands in the next step
      s.gcPauseMs = round1(procs.stream().mapToDouble(p -> p.gcPauses()[0]).sum() - gc0);
      s.gcPauses = (int) Math.round(procs.stream().mapToDouble(p -> p.gcPauses()[1]).sum() - gcn0);
    }
    s.fakeCpuSecondsPer1k = round3((fake1 - fake0) / k);
    s.loadgenCpuSecondsPer1k = round3((self1 - self0) / k);
    s.loadAverage = Machine.loadAverage().split(" ")[0];
    if (!procs.isEmpty() && !Double.isNaN(jit1 - jit0)) {
      s.compilerCores = round3((jit1 - jit0) / elapsed);
    }
    Results.Step base = scenario instanceof Direct ? null : baselines.get(scenario.body() + "@" + rate);
    double p99 = s.ttlb.p99() == null ? Double.MAX_VALUE : s.ttlb.p99();
    double baseP99 = base == null || base.ttlb.p99() == null ? 1000 : base.ttlb.p99();
    if (s.failureRate() > 0.01) {
      s.saturated = true;
      s.saturation = String.format(Locale.ROOT, "%.1f%% failed", 100 * s.failureRate());
    } else if (p99 - baseP99 > 1000) {
      s.saturated = true;
      s.saturation = String.format(Locale.ROOT, "p99 to last byte %.0f ms", p99);
    } else if (s.sentPerSecond < 0.9 * rate) {
      s.saturated = true;
      s.saturation = "the load generator could only send " + s.sentPerSecond + " req/s";
    }
    log(String.format(Locale.ROOT, "   %5d req/s: ok %6d err %4d t/o %4d | TTFB p50 %7.2f p99 %7.2f | TTLB p50 %7.2f "
            + "p99 %7.2f p99.9 %7.2f ms | lag p99 %6.2f | cpu/1k %s | rss %s MB",
        rate, s.ok, s.errors, s.timeouts, nz(s.ttfb.p50()), nz(s.ttfb.p99()), nz(s.ttlb.p50()), nz(s.ttlb.p99()),
        nz(s.ttlb.p999()), nz(s.sendLag.p99()), s.cpuSecondsPer1k == null ? "-" : s.cpuSecondsPer1k,
        s.rssMb == null ? "-" : s.rssMb) + (s.errorKinds.isEmpty() ? "" : " " + s.errorKinds));
    return s;
  }

  private static final Duration JIT_SLICE = Duration.ofSeconds(15);
  private static final double JIT_QUIET_CORES = 0.03;
  private static final Duration JIT_SETTLE_MAX = Duration.ofSeconds(420);

  private static double nz(Double d) {
    return d == null ? Double.NaN : d;
  }

  static double round1(double d) {
    return Math.round(d * 10) / 10.0;
  }

  static double round3(double d) {
    return Math.round(d * 1000) / 1000.0;
  }

  private static List<String> splitOpts(String opts) {
    if (opts == null || opts.isBlank()) {
      return List.of();
    }
    return Arrays.stream(opts.trim().split("\\s+")).toList();
  }

  static Path codeSource() {
    try {
      return Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void log(String line) {
    System.out.println(DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC).format(Instant.now())
        + " " + line);
    System.out.flush();
  }

  /** GETs a URL on loopback (used for the fake's /stats). */
  static String get(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }
}
