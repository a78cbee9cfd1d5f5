package dev.turnpike.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process the harness started, with what Linux and the JVM say about it: CPU time from
 * {@code /proc/<pid>/stat} (utime+stime), RSS and its high-water mark from {@code /proc/<pid>/status}, and GC
 * pauses from the {@code -Xlog:gc} file when it is a JVM.
 */
public final class Proc {
  private static final Pattern PAUSE = Pattern.compile("\\[gc\\s*\\].*Pause.* ([0-9.]+)ms\\s*$");
  private static final long CLOCK_TICKS = clockTicks();

  /** Every process started and not yet stopped: a shutdown hook stops them if the harness is interrupted. */
  private static final java.util.Set<Proc> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(p -> p.stop(Duration.ofSeconds(3))),
        "bench-cleanup"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final Path gcLog;

  public Proc(String name, Process process, Path log, Path gcLog) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.gcLog = gcLog;
  }

  public static Proc start(String name, List<String> command, Path dir, java.util.Map<String, String> env, Path log,
                           Path gcLog) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("TURNPIKE_")); // a stray TURNPIKE_PORT would win
    builder.environment().putAll(env);
    Proc proc = new Proc(name, builder.start(), log, gcLog);
    LIVE.add(proc);
    return proc;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** CPU seconds (user + system) used so far, threads included; children are not counted. */
  public double cpuSeconds() {
    return cpuSecondsOf(pid());
  }

  /** CPU seconds (user + system) of any process, from /proc. */
  public static double cpuSecondsOf(long pid) {
    try {
      return cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"))) / (double) CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * CPU seconds the JVM's JIT compiler threads ({@code C1 CompilerThre}, {@code C2 CompilerThre}) used so far: while
   * they are busy the JVM is still warming up, and what it measures is its warm-up as much as its steady state.
   * NaN when the process is gone or is not a HotSpot JVM.
   */
  public double compilerCpuSeconds() {
    return compilerCpuSecondsOf(pid());
  }

  /** {@link #compilerCpuSeconds} of any process. */
  public static double compilerCpuSecondsOf(long pid) {
    long ticks = 0;
    boolean found = false;
    try (var tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended meanwhile
        }
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
          ticks += cpuTicks(stat);
          found = true;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return found ? ticks / (double) CLOCK_TICKS : Double.NaN;
  }

  /** utime + stime, in clock ticks, of a process's or a thread's {@code stat} line. */
  private static long cpuTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after "pid (comm) ": state=0 ... utime=11 stime=12
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Resident set size now, in MB. */
  public double rssMb() {
    return statusKb("VmRSS:") / 1024.0;
  }

  /** Peak resident set size (VmHWM), in MB. */
  public double peakRssMb() {
    return statusKb("VmHWM:") / 1024.0;
  }

  private long statusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }

  /** {total pause ms, pause count} read from the GC log so far; zeros when there is no log. */
  public double[] gcPauses() {
    double total = 0;
    int count = 0;
    if (gcLog != null && Files.exists(gcLog)) {
      try {
        for (String line : Files.readAllLines(gcLog)) {
          Matcher m = PAUSE.matcher(line);
          if (m.find()) {
            total += Double.parseDouble(m.group(1));
            count++;
          }
        }
      } catch (IOException | RuntimeException e) {
        // a half-written line: next read sees it whole
      }
    }
    return new double[] {total, count};
  }

  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log)";
    }
  }

  /** SIGTERM, then SIGKILL after {@code grace}; only this process (and what it started, for npm-style CLIs). */
  public void stop(Duration grace) {
    LIVE.remove(this);
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (Exception e) {
      return 100;
    }
  }
}
