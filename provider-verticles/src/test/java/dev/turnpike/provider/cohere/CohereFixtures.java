package dev.turnpike.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** Reads the golden fixtures under {@code src/test/resources/fixtures}; files are named {@code <case>.<kind>}. */
final class CohereFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String UPSTREAM_MODEL = "command-a-03-2025";
  static final String CLIENT_MODEL = "claude-sonnet-4-5";
  static final String PROVIDER = "cohere";
  /** Fixed so stream fixtures do not depend on the estimate heuristic. */
  static final long ESTIMATED_INPUT_TOKENS = 42;

  record Event(String event, JsonNode data) {}

  /** What a translated stream came to: the Anthropic bytes and the translator, to read how it ended. */
  record Translated(String sse, CohereStreamTranslator translator) {}

  private CohereFixtures() {}

  static Path dir(String name) {
    try {
      return Path.of(CohereFixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Case names in {@code fixtures/cohere} that have both files {@code <case><from>} and {@code <case><to>}. */
  static List<String> cases(String from, String to) {
    try (Stream<Path> files = Files.list(dir("cohere"))) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(from))
          .map(n -> n.substring(0, n.length() - from.length()))
          .filter(name -> exists(name + to))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean exists(String file) {
    return Files.exists(dir("cohere").resolve(file));
  }

  static byte[] bytes(String dir, String file) {
    try {
      return Files.readAllBytes(dir(dir).resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String file) {
    return bytes("cohere", file);
  }

  static String text(String file) {
    return new String(bytes(file), StandardCharsets.UTF_8);
  }

  static JsonNode json(String file) {
    return json("cohere", file);
  }

  static JsonNode json(String dir, String file) {
    try {
      return JSON.readTree(bytes(dir, file));
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
        events.add(new Event(event, JSON.getNodeFactory().textNode(data))); // the [DONE] terminator
      }
    }, 1 << 20);
    parser.feed(Buffer.buffer(sse));
    parser.end();
    return events;
  }

  /** Feeds a Cohere SSE byte stream, cut at {@code cuts}, through the parser and the translator, as the adapter does. */
  static Translated translateStream(byte[] cohereStream, int[] cuts, CohereToolNames names) {
    CohereStreamTranslator translator = new CohereStreamTranslator(CLIENT_MODEL, names, ESTIMATED_INPUT_TOKENS);
    Buffer out = Buffer.buffer();
    SseParser parser = new SseParser((event, data) -> {
      if (translator.ended() || "[DONE]".equals(data.trim())) {
        return;
      }
      try {
        out.appendBuffer(translator.onEvent(JSON.readTree(data)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, 1 << 20);
    int from = 0;
    for (int cut : cuts) {
      parser.feed(Buffer.buffer().appendBytes(cohereStream, from, cut - from));
      from = cut;
    }
    parser.feed(Buffer.buffer().appendBytes(cohereStream, from, cohereStream.length - from));
    parser.end();
    return new Translated(out.toString(StandardCharsets.UTF_8), translator);
  }

  /** A mapper that has seen the case's request, as in the adapter, where one mapper serves both directions. */
  static CohereToolNames namesFor(String caseName) {
    CohereToolNames names = new CohereToolNames();
    if (exists(caseName + ".anthropic-request.json")) {
      CohereRequestTranslator.toCohereChat(json(caseName + ".anthropic-request.json"), UPSTREAM_MODEL, names);
    }
    return names;
  }
}
