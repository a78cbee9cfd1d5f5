package dev.turnpike.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.UpstreamFailures;
import dev.turnpike.provider.sse.SseParser;
import java.io.IOException;

/**
 * What a relayed Anthropic event stream says about itself: token usage ({@code message_start},
 * {@code message_delta}), whether it finished ({@code message_stop}), and an {@code error} event. Only those small
 * events are parsed; every other byte is only scanned for line ends.
 */
public final class AnthropicStreamUsage implements SseParser.Listener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String provider;
  private Usage usage = Usage.NONE;
  private boolean stopped;
  private boolean oversized;
  private Failure streamError;

  public AnthropicStreamUsage(String provider) {
    this.provider = provider;
  }

  /** Cumulative usage so far; an immutable value, cheap to hand to every frame. */
  public Usage usage() {
    return usage;
  }

  public boolean stopped() {
    return stopped;
  }

  public boolean oversized() {
    return oversized;
  }

  /** The upstream's own {@code error} event, or null. */
  public Failure streamError() {
    return streamError;
  }

  @Override
  public void onEvent(String event, String data) {
    if (event == null) {
      return;
    }
    switch (event) {
      case "message_start", "message_delta", "error" -> parse(event, data);
      case "message_stop" -> stopped = true;
      default -> { }
    }
  }

  @Override
  public void onOversizedEvent() {
    oversized = true;
  }

  private void parse(String event, String data) {
    JsonNode node;
    try {
      node = JSON.readTree(data);
    } catch (IOException e) {
      return; // a malformed event is the client's to see; it does not change the count
    }
    switch (event) {
      case "message_start" -> apply(node.path("message").path("usage"));
      case "message_delta" -> apply(node.path("usage"));
      default -> {
        JsonNode error = node.path("error");
        String type = error.path("type").asText("api_error");
        streamError = Failure.of(UpstreamFailures.codeForErrorType(type), "Provider '" + provider
            + "' reported " + type + " in the stream: " + UpstreamFailures.redact(error.path("message").asText("")));
      }
    }
  }

  /** Anthropic reports cumulative counts; later events overwrite earlier ones field by field. */
  private void apply(JsonNode node) {
    if (!node.isObject()) {
      return;
    }
    usage = new Usage(node.path("input_tokens").asLong(usage.inputTokens()),
        node.path("output_tokens").asLong(usage.outputTokens()),
        node.path("cache_read_input_tokens").asLong(usage.cacheReadTokens()),
        node.path("cache_creation_input_tokens").asLong(usage.cacheCreationTokens()));
  }
}
