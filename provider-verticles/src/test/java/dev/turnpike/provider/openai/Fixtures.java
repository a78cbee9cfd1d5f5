package dev.turnpike.provider.openai;

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
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String UPSTREAM_MODEL = "gpt-5";
  static final String CLIENT_MODEL = "claude-sonnet-4-5";
  /** Fixed so stream fixtures do not depend on the estimate heuristic. */
  static final long ESTIMATED_INPUT_TOKENS = 42;

  record Event(String event, JsonNode data) {}

  private Fixtures() {}

  static Path dir(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Case names in {@code fixtures/openai} that have a file ending in {@code suffix}. */
  static List<String> cases(String suffix) {
    try (Stream<Path> files = Files.list(dir("openai"))) {
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
    return Files.exists(dir("openai").resolve(file));
  }

  static byte[] bytes(String dir, String file) {
    try {
      return Files.readAllBytes(dir(dir).resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String file) {
    return new String(bytes("openai", file), StandardCharsets.UTF_8);
  }

  static JsonNode json(String file) {
    return json("openai", file);
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
      JsonNode node;
      try {
        node = JSON.readTree(data);
      } catch (IOException e) {
        node = JSON.getNodeFactory().textNode(data); // e.g. OpenAI's [DONE]
      }
      events.add(new Event(event, node));
    }, 1 << 20);
    parser.feed(Buffer.buffer(sse));
    parser.end();
    return events;
  }

  /** Feeds an OpenAI SSE byte stream in the given chunks through the parser and the translator. */
  static String translateStream(byte[] openAiStream, int[] cuts, ToolNameMapper names) {
    OpenAiStreamTranslator translator =
        new OpenAiStreamTranslator(CLIENT_MODEL, names, ESTIMATED_INPUT_TOKENS);
    Buffer out = Buffer.buffer();
    boolean[] done = {false};
    SseParser parser = new SseParser((event, data) -> {
      if (done[0]) {
        return;
      }
      if ("[DONE]".equals(data.trim())) {
        done[0] = true;
        out.appendBuffer(translator.finish());
        return;
      }
      try {
        out.appendBuffer(translator.onChunk(JSON.readTree(data)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, 1 << 20);
    int from = 0;
    for (int cut : cuts) {
      parser.feed(Buffer.buffer().appendBytes(openAiStream, from, cut - from));
      from = cut;
    }
    parser.feed(Buffer.buffer().appendBytes(openAiStream, from, openAiStream.length - from));
    parser.end();
    if (!done[0]) {
      out.appendBuffer(translator.finish()); // a clean end without [DONE]
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A mapper that has seen the case's request, as in the adapter, where one mapper serves both directions. */
  static ToolNameMapper namesFor(String caseName) {
    ToolNameMapper names = new ToolNameMapper();
    if (exists(caseName + ".anthropic-request.json")) {
      OpenAiRequestTranslator.toChatCompletions(json(caseName + ".anthropic-request.json"), UPSTREAM_MODEL, names);
    }
    return names;
  }
}
