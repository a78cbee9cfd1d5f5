package dev.turnpike.contract.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopLevelFieldsTest {
  private static final String BEDROCK = "{ \"messages\": [{\"role\":\"user\",\"content\":\"hi\"}], \"max_tokens\": 32000,"
      + " \"temperature\": 1.50e0, \"anthropic_beta\": [\"a-1\", \"b-2\"], \"flag\": true, \"none\": null,"
      + " \"anthropic_version\": \"bedrock-2023-05-31\" }";

  @Test
  void movesABedrockBodyToAnthropicsFormKeepingEveryOtherByte() {
    Map<String, String> set = new LinkedHashMap<>();
    set.put("model", TopLevelFields.quoted("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    set.put("stream", "true");
    Buffer patched = TopLevelFields.patch(Buffer.buffer(BEDROCK), set, Set.of("anthropic_version", "anthropic_beta"));
    assertEquals("{\"model\":\"us.anthropic.claude-sonnet-4-5-20250929-v1:0\",\"stream\":true,"
        + "\"messages\": [{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\": 32000,\"temperature\": 1.50e0,"
        + "\"flag\": true,\"none\": null}", patched.toString());
  }

  @Test
  void replacesAPresentFieldInPlaceAndCanRemoveTheLastAndOnlyFields() {
    String body = "{\"model\":\"a\",\"stream\":false,\"x\":{\"y\":[1,2]}}";
    Map<String, String> set = new LinkedHashMap<>();
    set.put("stream", "true");
    set.put("anthropic_version", TopLevelFields.quoted("vertex-2023-10-16"));
    assertEquals("{\"anthropic_version\":\"vertex-2023-10-16\",\"stream\":true,\"x\":{\"y\":[1,2]}}",
        TopLevelFields.patch(Buffer.buffer(body), set, Set.of("model")).toString());
    assertEquals("{}", TopLevelFields.patch(Buffer.buffer("{\"model\":\"a\"}"), Map.of(), Set.of("model")).toString());
    assertEquals("{\"model\":\"a\"}",
        TopLevelFields.patch(Buffer.buffer("{\"model\":\"a\",\"x\":7}"), Map.of(), Set.of("x")).toString());
  }

  @Test
  void readsARawValueAndLeavesNonObjectsAlone() {
    assertEquals("[\"a-1\", \"b-2\"]", TopLevelFields.raw(Buffer.buffer(BEDROCK), "anthropic_beta"));
    assertEquals("32000", TopLevelFields.raw(Buffer.buffer(BEDROCK), "max_tokens"));
    assertEquals("1.50e0", TopLevelFields.raw(Buffer.buffer(BEDROCK), "temperature"));
    assertNull(TopLevelFields.raw(Buffer.buffer(BEDROCK), "model"));
    assertEquals("[1]", TopLevelFields.patch(Buffer.buffer("[1]"), Map.of("a", "1"), Set.of()).toString());
    assertEquals("{\"a\":", TopLevelFields.patch(Buffer.buffer("{\"a\":"), Map.of("b", "1"), Set.of()).toString());
  }

  @Test
  void quotesWhatNeedsEscaping() {
    assertEquals("\"a\\\"b\\\\c\\n\"", TopLevelFields.quoted("a\"b\\c\n"));
  }
}
