package dev.turnpike.contract.eventstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The AWS SDK for Go's published vectors (src/test/resources/eventstream/README.md says where from). */
class EventStreamAwsVectorsTest {
  private static final String ROOT = "/eventstream/aws-sdk-go/";
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"all_headers", "empty_message", "int32_header", "payload_no_headers",
      "payload_one_str_header"})
  void decodesEachPositiveVectorAsTheSdkDoes(String name) throws IOException {
    Buffer encoded = Frames.resource(ROOT + "encoded/positive/" + name);
    JsonNode decoded = JSON.readTree(Frames.resource(ROOT + "decoded/positive/" + name).getBytes());
    List<EventStreamMessage> messages = new EventStreamDecoder(1024).push(encoded);

    assertEquals(decoded.get("total_length").asInt(), encoded.length());
    assertEquals(1, messages.size());
    assertEquals(List.copyOf(expectedHeaders(decoded).entrySet()), List.copyOf(messages.get(0).headers().entrySet()));
    assertEquals(Buffer.buffer(Base64.getDecoder().decode(decoded.get("payload").asText())),
        messages.get(0).payload());
  }

  @ParameterizedTest
  @ValueSource(strings = {"empty_message", "payload_no_headers", "payload_one_str_header"})
  void reEncodesTheVectorsWhoseHeadersAreAllStrings(String name) {
    Buffer encoded = Frames.resource(ROOT + "encoded/positive/" + name);
    EventStreamMessage message = new EventStreamDecoder(1024).push(encoded).get(0);
    assertEquals(encoded, EventStreamEncoder.encode(message));
  }

  @ParameterizedTest
  @CsvSource({"corrupted_header_len, prelude CRC", "corrupted_length, prelude CRC",
      "corrupted_headers, message CRC", "corrupted_payload, message CRC"})
  void refusesEachNegativeVectorForTheSdksReason(String name, String reason) {
    String sdkReason = Frames.resource(ROOT + "decoded/negative/" + name).toString().trim();
    assertTrue(sdkReason.toLowerCase().startsWith(reason.split(" ")[0]), sdkReason);
    Buffer encoded = Frames.resource(ROOT + "encoded/negative/" + name);
    EventStreamException e = assertThrows(EventStreamException.class, () -> new EventStreamDecoder(1024).push(encoded));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  /** The vector's JSON headers in this decoder's string renderings (see EventStreamMessage). */
  private static Map<String, String> expectedHeaders(JsonNode decoded) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (JsonNode header : decoded.get("headers")) {
      JsonNode value = header.get("value");
      String rendered = switch (header.get("type").asInt()) {
        case 0, 1 -> Boolean.toString(value.asBoolean());
        case 2, 3, 4, 5 -> Long.toString(value.asLong());
        case 6 -> value.asText();
        case 7 -> new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8);
        case 8 -> Instant.ofEpochMilli(value.asLong()).toString();
        case 9 -> {
          ByteBuffer uuid = ByteBuffer.wrap(Base64.getDecoder().decode(value.asText()));
          yield new UUID(uuid.getLong(), uuid.getLong()).toString();
        }
        default -> throw new IllegalStateException("vector has header type " + header.get("type"));
      };
      headers.put(header.get("name").asText(), rendered);
    }
    return headers;
  }
}
