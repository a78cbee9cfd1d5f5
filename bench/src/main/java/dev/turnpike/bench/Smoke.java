package dev.turnpike.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@code --quick} run checks of each scenario: that it runs, not how fast. Load generator, fake and nodes
 * share the machine's cores with whatever else runs there (a build), so a cold node may refuse with 529, time
 * out or answer slowly; none of that fails a smoke run. It fails when a process under test died, when not one
 * request succeeded, or on a single {@link LoadGen.Failure#PROTOCOL protocol error}.
 */
final class Smoke {
  private Smoke() {}

  /** Why the scenario that ran {@code steps} (warm-up included) failed the smoke check; null when it passed. */
  static String failure(List<LoadGen.Step> steps, List<String> deadProcesses) {
    if (!deadProcesses.isEmpty()) {
      return "exited during the run: " + String.join("; ", deadProcesses);
    }
    long ok = steps.stream().mapToLong(LoadGen.Step::ok).sum();
    long protocol = steps.stream().mapToLong(LoadGen.Step::protocolErrors).sum();
    if (protocol > 0) {
      Map<String, Integer> kinds = new TreeMap<>();
      steps.forEach(s -> s.protocolErrorKinds().forEach((k, v) -> kinds.merge(k, v, Integer::sum)));
      return protocol + " protocol errors " + kinds;
    }
    if (ok == 0) {
      return "not one request succeeded: " + summary(steps);
    }
    return null;
  }

  /** One line for the results: what the scenario's requests, warm-up included, came to. */
  static String summary(List<LoadGen.Step> steps) {
    long sent = steps.stream().mapToLong(LoadGen.Step::sent).sum();
    long ok = steps.stream().mapToLong(LoadGen.Step::ok).sum();
    long overloaded = steps.stream().mapToLong(LoadGen.Step::overloaded).sum();
    long timeouts = steps.stream().mapToLong(LoadGen.Step::timeouts).sum();
    long protocol = steps.stream().mapToLong(LoadGen.Step::protocolErrors).sum();
    return String.format(Locale.ROOT, "%d of %d requests ok, %d refused for capacity (529/503/connection refused), "
        + "%d timeouts, %d protocol errors", ok, sent, overloaded, timeouts, protocol);
  }
}
