package dev.turnpike.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a run came from: cores, CPU model, memory, Java, load average, and the commit measured. */
final class Machine {
  private Machine() {}

  static Map<String, Object> describe(Path repo) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date_utc", Instant.now().toString());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("cpu_model", cpuModel());
    m.put("memory_gb", Math.round(memTotalKb() / 1024.0 / 1024.0 * 10) / 10.0);
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("node", Machine.run(repo, "node", "--version"));
    m.put("load_average_start", loadAverage());
    m.put("git_commit", run(repo, "git", "rev-parse", "--short", "HEAD"));
    m.put("git_dirty_files", run(repo, "sh", "-c", "git status --porcelain --untracked-files=no | wc -l"));
    return m;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }

  static double selfCpuSeconds() {
    return Proc.cpuSecondsOf(ProcessHandle.current().pid());
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "?";
  }

  private static long memTotalKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return 0;
  }

  static String run(Path dir, String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return out;
    } catch (Exception e) {
      return "?";
    }
  }
}
