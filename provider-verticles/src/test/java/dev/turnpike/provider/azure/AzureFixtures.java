package dev.turnpike.provider.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.Target;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.openai.OpenAiStreamTranslator;
import dev.turnpike.provider.openai.ToolNameMapper;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The golden fixtures under {@code fixtures/azure} (see SOURCES.md there) and the requests the shapes are given. */
final class AzureFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CLIENT_MODEL = "claude-sonnet-4-5";
  static final long ESTIMATED_INPUT_TOKENS = 42;
  static final String DEPLOYMENT = "gpt5-prod";

  record Event(String event, JsonNode data) {}

  private AzureFixtures() {}

  static Path dir(String name) {
    try {
      return Path.of(AzureFixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Case names in {@code fixtures/<dir>} that have a file ending in {@code suffix}. */
  static List<String> cases(String dir, String suffix) {
    try (Stream<Path> files = Files.list(dir(dir))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
          .map(n -> n.substring(0, n.length() - suffix.length())).sorted().toList();
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

  static JsonNode json(String dir, String file) {
    try {
      return JSON.readTree(bytes(dir, file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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
        events.add(new Event(event, JSON.getNodeFactory().textNode(data)));
      }
    }, 1 << 20);
    parser.feed(Buffer.buffer(sse));
    parser.end();
    return events;
  }

  /** An Azure SSE byte stream, cut where {@code cuts} say, through the parser and the shared stream translator. */
  static String translateStream(byte[] azureStream, int[] cuts) {
    OpenAiStreamTranslator translator =
        new OpenAiStreamTranslator(CLIENT_MODEL, new ToolNameMapper(), ESTIMATED_INPUT_TOKENS);
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
      parser.feed(Buffer.buffer().appendBytes(azureStream, from, cut - from));
      from = cut;
    }
    parser.feed(Buffer.buffer().appendBytes(azureStream, from, azureStream.length - from));
    parser.end();
    return out.toString(StandardCharsets.UTF_8);
  }

  static ProviderConfig provider(String baseUrl, Map<String, String> deployments, String apiVersion) {
    return new ProviderConfig("azure", "azure", baseUrl, List.of(new ProviderConfig.ProviderKey("k", 1, List.of())),
        List.of(), null, null, null, null, deployments, apiVersion);
  }

  static InvokeRequest request(Operation operation, String model, String body, MultiMap clientHeaders,
                               String query) {
    return new InvokeRequest("req-1", "stream-1", operation, new Target("azure", "azure", model),
        new RequestParams("azure/" + model, true, 100, false, false, 0, false), Buffer.buffer(body), clientHeaders,
        query, Future.succeededFuture());
  }
}
