package dev.turnpike.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.provider.openai.ToolNameMapper;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the golden fixtures under {@code src/test/resources/fixtures/gemini}; files are {@code <case>.<kind>}. */
final class GeminiFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String UPSTREAM_MODEL = "gemini-2.5-pro";
  static final String CLIENT_MODEL = "claude-sonnet-4-5";
  /** Fixed so stream fixtures do not depend on the estimate heuristic. */
  static final long ESTIMATED_INPUT_TOKENS = 42;

  record Event(String event, JsonNode data) {}

  private GeminiFixtures() {}

  static Path dir() {
    try {
      return Path.of(GeminiFixtures.class.getResource("/fixtures/gemini").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Case names that have a file ending in {@code suffix}. */
  static List<String> cases(String suffix) {
    try (Stream<Path> files = Files.list(dir())) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(suffix))
          .map(n -> n.substring(0, n.length() - suffix.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean exists(String file) {
    return Files.exists(dir().resolve(file));
  }

  static byte[] bytes(String file) {
    try {
      return Files.readAllBytes(dir().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String file) {
    return new String(bytes(file), StandardCharsets.UTF_8);
  }

  static JsonNode json(String file) {
    try {
      return JSON.readTree(bytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serialises and re-reads, so a tree we built compares equal to a parsed one (int vs long nodes). */
  static JsonNode normalized(JsonNode node) {
    try {
      return JSON.readTree(JSON.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Event> events(String sse) {
    List<Event> events = new ArrayList<>();
    SseParser parser = new SseParser((event, data) -> {
      try {
        events.add(new Event(event, JSON.readTree(data)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, 1 << 20);
    parser.feed(Buffer.buffer(sse));
    parser.end();
    return events;
  }

  /**
   * Feeds a Gemini SSE byte stream in the given chunks through the parser and the translator, and finishes it
   * as the adapter does at a clean end.
   */
  static String translateStream(byte[] geminiStream, int[] cuts, ToolNameMapper names) {
    GeminiStreamTranslator translator = new GeminiStreamTranslator(CLIENT_MODEL, names, ESTIMATED_INPUT_TOKENS);
    Buffer out = Buffer.buffer();
    SseParser parser = new SseParser((event, data) -> {
      try {
        out.appendBuffer(translator.onChunk(JSON.readTree(data)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, 1 << 20);
    int from = 0;
    for (int cut : cuts) {
      parser.feed(Buffer.buffer().appendBytes(geminiStream, from, cut - from));
      from = cut;
    }
    parser.feed(Buffer.buffer().appendBytes(geminiStream, from, geminiStream.length - from));
    parser.end();
    if (translator.sawFinish()) {
      out.appendBuffer(translator.finish());
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A mapper that has seen the case's request, as in the adapter, where one mapper serves both directions. */
  static ToolNameMapper namesFor(String caseName) {
    ToolNameMapper names = GeminiRequestTranslator.toolNames();
    if (exists(caseName + ".anthropic-request.json")) {
      GeminiRequestTranslator.toGenerateContent(json(caseName + ".anthropic-request.json"), UPSTREAM_MODEL, true,
          names);
    }
    return names;
  }
}
