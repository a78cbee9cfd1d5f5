package dev.turnpike.contract.eventstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockStreamEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EVENT = "{\"type\":\"content_block_delta\",\"index\":0,"
      + "\"delta\":{\"type\":\"text_delta\",\"text\":\"héllo \\\"world\\\"\"}}";

  @Test
  void chunkWrapsTheEventInBase64WithBedrocksHeadersInOrder() throws IOException {
    List<EventStreamMessage> messages = decode(BedrockStreamEvents.chunk(Buffer.buffer(EVENT)));

    assertEquals(1, messages.size());
    EventStreamMessage message = messages.get(0);
    assertEquals(List.of(Map.entry(":event-type", "chunk"), Map.entry(":content-type", "application/json"),
        Map.entry(":message-type", "event")), List.copyOf(message.headers().entrySet()));
    JsonNode payload = JSON.readTree(message.payload().getBytes());
    assertEquals(1, payload.size());
    assertEquals(EVENT, new String(Base64.getDecoder().decode(payload.get("bytes").asText()), "UTF-8"));
    assertEquals(Buffer.buffer(EVENT), BedrockStreamEvents.chunkBytes(message));
  }

  @Test
  void exceptionCarriesItsTypeAndAnEscapedMessage() throws IOException {
    String text = "Too many \"requests\"\n\\ slow down";
    EventStreamMessage message = decode(BedrockStreamEvents.exception("throttlingException", text)).get(0);

    assertEquals(List.of(Map.entry(":exception-type", "throttlingException"),
        Map.entry(":content-type", "application/json"), Map.entry(":message-type", "exception")),
        List.copyOf(message.headers().entrySet()));
    JsonNode payload = JSON.readTree(message.payload().getBytes());
    assertEquals(text, payload.get("message").asText());
    assertEquals(1, payload.size());
  }

  @Test
  void chunkBytesRefusesAnExceptionNamingItsType() {
    EventStreamMessage exception = decode(BedrockStreamEvents.exception("modelStreamErrorException", "boom")).get(0);
    EventStreamException e = assertThrows(EventStreamException.class, () -> BedrockStreamEvents.chunkBytes(exception));
    assertTrue(e.getMessage().contains("modelStreamErrorException"), e.getMessage());
    assertFalse(e.getMessage().contains("boom"), e.getMessage());
  }

  @Test
  void chunkBytesRefusesMalformedChunksWithoutQuotingThem() {
    Map<String, String> chunkHeaders = new LinkedHashMap<>();
    chunkHeaders.put(":event-type", "chunk");
    chunkHeaders.put(":message-type", "event");
    for (String payload : new String[] {"not json secret", "{\"other\":\"secret\"}", "{\"bytes\":7}",
        "{\"bytes\":\"*secret*\"}", "[\"secret\"]", ""}) {
      EventStreamMessage message = new EventStreamMessage(chunkHeaders, Buffer.buffer(payload));
      EventStreamException e = assertThrows(EventStreamException.class,
          () -> BedrockStreamEvents.chunkBytes(message), payload);
      assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }
    EventStreamMessage otherEvent = new EventStreamMessage(Map.of(":event-type", "metadata", ":message-type", "event"),
        Buffer.buffer("{\"bytes\":\"e30=\"}"));
    assertThrows(EventStreamException.class, () -> BedrockStreamEvents.chunkBytes(otherEvent));
  }

  private static List<EventStreamMessage> decode(Buffer bytes) {
    return new EventStreamDecoder(64 * 1024).push(bytes);
  }
}
