package dev.turnpike.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.turnpike.contract.eventstream.EventStreamDecoder;
import dev.turnpike.contract.eventstream.EventStreamEncoder;
import dev.turnpike.contract.eventstream.EventStreamMessage;
import dev.turnpike.provider.FixtureFiles;
import dev.turnpike.provider.StreamCuts;
import dev.turnpike.provider.TestJson;
import dev.turnpike.provider.openai.ToolNameMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden fixtures under {@code src/test/resources/fixtures/bedrock-converse} (see its SOURCES.md), and
 * ConverseStream events framed as Bedrock sends them.
 */
final class ConverseFixtures {
  static final FixtureFiles FILES = new FixtureFiles("bedrock-converse");
  static final String CLIENT_MODEL = "claude-sonnet-4-5";
  static final String MESSAGE_ID = "msg_bdrk_fixture";
  static final long ESTIMATED_INPUT_TOKENS = 42;
  static final List<String> BETAS = List.of("interleaved-thinking-2025-05-14");

  private ConverseFixtures() {}

  /** The request translation with the fixtures' betas, the Bedrock model id being the request's {@code model}. */
  static JsonNode translate(JsonNode anthropicRequest, ToolNameMapper names) {
    String model = anthropicRequest.path("model").asText();
    return TestJson.normalized(
        AnthropicToConverse.translate(anthropicRequest, ConverseFeatures.of(model), names, BETAS));
  }

  /** A stream fixture framed as Bedrock's event-stream messages, one after another. */
  static byte[] eventStream(String file) {
    Buffer out = Buffer.buffer();
    for (JsonNode event : FILES.json(file)) {
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
      return EventStreamEncoder.encode(
          new EventStreamMessage(headers, Buffer.buffer(TestJson.JSON.writeValueAsBytes(payload))));
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
    StreamCuts.feed(stream, cuts, piece -> {
      for (EventStreamMessage message : decoder.push(piece)) {
        out.appendBuffer(translator.onEvent(message.headers().get(":event-type"),
            TestJson.read(message.payload().getBytes())));
      }
    });
    out.appendBuffer(translator.finish());
    return out.toString(StandardCharsets.UTF_8);
  }
}
