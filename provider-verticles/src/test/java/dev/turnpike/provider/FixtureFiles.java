package dev.turnpike.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** One folder of golden fixtures under {@code src/test/resources/fixtures}; files are named {@code <case>.<kind>}. */
public record FixtureFiles(String dir) {

  public Path path() {
    try {
      return Path.of(FixtureFiles.class.getResource("/fixtures/" + dir).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The case names that have a file ending in {@code suffix}, sorted. */
  public List<String> cases(String suffix) {
    try (Stream<Path> files = Files.list(path())) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(suffix))
          .map(n -> n.substring(0, n.length() - suffix.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The case names that have a file ending in {@code suffix} and one ending in {@code alsoSuffix}, sorted. */
  public List<String> cases(String suffix, String alsoSuffix) {
    return cases(suffix).stream().filter(name -> exists(name + alsoSuffix)).toList();
  }

  public boolean exists(String file) {
    return Files.exists(path().resolve(file));
  }

  public byte[] bytes(String file) {
    try {
      return Files.readAllBytes(path().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String text(String file) {
    return new String(bytes(file), StandardCharsets.UTF_8);
  }

  public JsonNode json(String file) {
    return TestJson.read(bytes(file));
  }
}
