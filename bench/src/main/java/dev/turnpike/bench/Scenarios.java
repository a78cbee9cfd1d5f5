package dev.turnpike.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Finds every {@link Scenario} class in {@code dev.turnpike.bench.scenarios}: adding one needs no registration. */
public final class Scenarios {
  private static final String PACKAGE = "dev/turnpike/bench/scenarios/";

  private Scenarios() {}

  public static List<Scenario> all() {
    List<Scenario> found = new ArrayList<>();
    for (String className : classNames()) {
      try {
        Class<?> type = Class.forName(className);
        if (Scenario.class.isAssignableFrom(type) && !type.isInterface()
            && !java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
          found.add((Scenario) type.getDeclaredConstructor().newInstance());
        }
      } catch (ReflectiveOperationException e) {
        // not a scenario with a no-argument constructor
      }
    }
    found.sort(Comparator.comparingInt(Scenario::order).thenComparing(Scenario::name));
    return found;
  }

  private static List<String> classNames() {
    List<String> names = new ArrayList<>();
    try {
      Path location = Path.of(Scenarios.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.list(location.resolve(PACKAGE))) {
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class") && !n.contains("$"))
              .forEach(n -> names.add(PACKAGE.replace('/', '.') + n.substring(0, n.length() - 6)));
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          for (JarEntry entry : java.util.Collections.list(jar.entries())) {
            String n = entry.getName();
            if (n.startsWith(PACKAGE) && n.endsWith(".class") && !n.contains("$")
                && n.indexOf('/', PACKAGE.length()) < 0) {
              names.add(n.substring(0, n.length() - 6).replace('/', '.'));
            }
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list scenarios", e);
    }
    return names;
  }
}
