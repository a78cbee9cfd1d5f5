package dev.turnpike.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Reads token usage out of an Anthropic answer that passes through unchanged: from {@code message_start} and
 * {@code message_delta} events of a stream, or from the {@code usage} of a whole message. Only those small
 * events are parsed; every other byte is only scanned for line ends.
 */
final class AnthropicUsage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private long input;
  private long output;
  private long cacheRead;
  private long cacheCreation;
  private String streamError;
  private final SseParser parser = new SseParser(this::onEvent);

  void feedStream(Buffer chunk) {
    parser.feed(chunk);
  }

  void endStream() {
    parser.end();
  }

  /** The upstream's own {@code error} event in the stream, or null. */
  String streamError() {
    return streamError;
  }

  void readMessage(Buffer body) {
    try {
      JsonNode usage = JSON.readTree(body.getBytes()).path("usage");
      apply(usage);
    } catch (IOException e) {
      // Not JSON: nothing to count, the client still gets the bytes.
    }
  }

  Usage usage() {
    return new Usage(input, output, cacheRead, cacheCreation);
  }

  private void onEvent(String event, String data) {
    if (!"message_start".equals(event) && !"message_delta".equals(event) && !"error".equals(event)) {
      return;
    }
    try {
      JsonNode node = JSON.readTree(data);
      switch (event) {
        case "message_start" -> apply(node.path("message").path("usage"));
        case "message_delta" -> apply(node.path("usage"));
        default -> streamError = node.path("error").path("message").asText("upstream error");
      }
    } catch (IOException e) {
      // A malformed event is the client's to see; it does not change the count.
    }
  }

  /** Anthropic reports cumulative counts; later events overwrite earlier ones field by field. */
  private void apply(JsonNode usage) {
    if (usage.isMissingNode() || usage.isNull()) {
      return;
    }
    input = usage.path("input_tokens").asLong(input);
    output = usage.path("output_tokens").asLong(output);
    cacheRead = usage.path("cache_read_input_tokens").asLong(cacheRead);
    cacheCreation = usage.path("cache_creation_input_tokens").asLong(cacheCreation);
  }
}
