package dev.turnpike.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.eventstream.EventStreamDecoder;
import dev.turnpike.contract.eventstream.EventStreamEncoder;
import dev.turnpike.contract.eventstream.EventStreamMessage;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the golden fixtures under {@code src/test/resources/fixtures/bedrock-converse} (see its SOURCES.md) and
 * frames ConverseStream events as Bedrock sends them.
 */
final class ConverseFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DIR = "bedrock-converse";
  static final String CLIENT_MODEL = "claude-sonnet-4-5";
  static final String MESSAGE_ID = "msg_bdrk_fixture";
  static final long ESTIMATED_INPUT_TOKENS = 42;
  static final List<String> BETAS = List.of("interleaved-thinking-2025-05-14");

  record Event(String event, JsonNode data) {}

  private ConverseFixtures() {}

  static Path dir(String name) {
    try {
      return Path.of(ConverseFixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Case names that have a file ending in {@code suffix}. */
  static List<String> cases(String suffix) {
    try (Stream<Path> files = Files.list(dir(DIR))) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(suffix))
          .map(n -> n.substring(0, n.length() - suffix.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String dir, String file) {
    try {
      return Files.readAllBytes(dir(dir).resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String file) {
    return new String(bytes(DIR, file), StandardCharsets.UTF_8);
  }

  static JsonNode json(String file) {
    return json(DIR, file);
  }

  static JsonNode json(String dir, String file) {
    try {
      return JSON.readTree(bytes(dir, file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Claude Code capture's request body (the 2.1.197 files wrap it with the method, path and headers). */
  static JsonNode claudeCodeRequest(String file) {
    JsonNode capture = json("claude-code", file);
    return capture.has("body") ? capture.path("body") : capture;
  }

  /** Serialises and re-reads, so a tree we built compares equal to a parsed one (int vs long nodes). */
  static JsonNode normalized(JsonNode node) {
    try {
      return JSON.readTree(JSON.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request translation with the fixtures' betas, the Bedrock model id being the request's {@code model}. */
  static JsonNode translate(JsonNode anthropicRequest, ToolNameMapper names) {
    String model = anthropicRequest.path("model").asText();
    return normalized(AnthropicToConverse.translate(anthropicRequest, ConverseFeatures.of(model), names, BETAS));
  }

  /** A stream fixture framed as Bedrock's event-stream messages, one after another. */
  static byte[] eventStream(String file) {
    Buffer out = Buffer.buffer();
    for (JsonNode event : json(file)) {
      out.appendBuffer(frame(event.path("eventType").asText(), event.path("payload")));
    }
    return out.getBytes();
  }

  static Buffer frame(String eventType, JsonNode payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", eventType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    try {
      return EventStreamEncoder.encode(new EventStreamMessage(headers, Buffer.buffer(JSON.writeValueAsBytes(payload))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes {@code stream} cut at {@code cuts} and translates every event, as the adapter does. */
  static String translateStream(byte[] stream, int[] cuts, ToolNameMapper names) {
    ConverseStreamToAnthropic translator = new ConverseStreamToAnthropic(CLIENT_MODEL, names, MESSAGE_ID,
        ESTIMATED_INPUT_TOKENS);
    EventStreamDecoder decoder = new EventStreamDecoder(1 << 20);
    Buffer out = Buffer.buffer();
    int from = 0;
    int[] all = new int[cuts.length + 1];
    System.arraycopy(cuts, 0, all, 0, cuts.length);
    all[cuts.length] = stream.length;
    for (int cut : all) {
      for (EventStreamMessage message : decoder.push(Buffer.buffer().appendBytes(stream, from, cut - from))) {
        try {
          out.appendBuffer(translator.onEvent(message.headers().get(":event-type"),
              JSON.readTree(message.payload().getBytes())));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      from = cut;
    }
    out.appendBuffer(translator.finish());
    return out.toString(StandardCharsets.UTF_8);
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
}
