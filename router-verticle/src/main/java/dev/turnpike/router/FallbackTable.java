package dev.turnpike.router;

import dev.turnpike.contract.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured {@code fallbacks}: a key is {@code provider/model}, {@code provider/*} or {@code *}; the most
 * specific matching key gives the list of targets to try, in order, after the primary.
 */
public final class FallbackTable {
  private final Map<String, List<Target>> byPattern;

  public FallbackTable(Map<String, List<String>> fallbacks, ModelResolver resolver) {
    Map<String, List<Target>> resolved = new java.util.HashMap<>();
    fallbacks.forEach((pattern, names) -> {
      List<Target> targets = new ArrayList<>();
      names.forEach(name -> targets.add(resolver.resolve(name)));
      resolved.put(pattern, List.copyOf(targets));
    });
    this.byPattern = Map.copyOf(resolved);
  }

  /** The primary followed by its fallbacks, without repeats. */
  public List<Target> withFallbacks(Target primary) {
    List<Target> fallbacks = byPattern.get(primary.qualifiedModel());
    if (fallbacks == null) {
      fallbacks = byPattern.get(primary.provider() + "/*");
    }
    if (fallbacks == null) {
      fallbacks = byPattern.get("*");
    }
    if (fallbacks == null || fallbacks.isEmpty()) {
      return List.of(primary);
    }
    Set<Target> ordered = new LinkedHashSet<>();
    ordered.add(primary);
    ordered.addAll(fallbacks);
    return List.copyOf(ordered);
  }
}
