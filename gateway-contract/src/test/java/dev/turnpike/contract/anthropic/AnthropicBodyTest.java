package dev.turnpike.contract.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.RequestParams;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicBodyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path CAPTURES = Path.of("..", "fixtures", "claude-code");

  static Stream<Path> claudeCodeCaptures() throws IOException {
    try (Stream<Path> files = Files.list(CAPTURES)) {
      return files.filter(p -> p.getFileName().toString().matches("cc2\\.1\\.\\d+-(messages-.*\\.request|"
          + "anthropic_.*req.*)\\.json")).sorted().toList().stream();
    }
  }

  static Buffer bodyOf(Path capture) throws IOException {
    JsonNode node = JSON.readTree(capture.toFile());
    return Buffer.buffer(JSON.writeValueAsBytes(node.has("body") && node.has("headers") ? node.get("body") : node));
  }

  @ParameterizedTest
  @MethodSource("claudeCodeCaptures")
  void should_read_top_level_fields_when_given_a_real_claude_code_body(Path capture) throws IOException {
    Buffer body = bodyOf(capture);
    JsonNode tree = JSON.readTree(body.getBytes());

    AnthropicBody.Summary summary = AnthropicBody.scan(body);

    RequestParams params = summary.params();
    assertEquals(tree.path("model").asText(), params.model());
    assertEquals(tree.path("stream").asBoolean(false), params.stream());
    assertEquals(tree.has("max_tokens") ? tree.path("max_tokens").asLong() : -1, params.maxTokens());
    assertEquals(tree.path("tools").size() > 0, params.hasTools());
    assertEquals(tree.has("thinking") && !"disabled".equals(tree.path("thinking").path("type").asText()),
        params.thinking());
    assertTrue(summary.hasMessages());
  }

  @ParameterizedTest
  @MethodSource("claudeCodeCaptures")
  void should_change_only_the_model_bytes_when_replacing_the_model(Path capture) throws IOException {
    Buffer body = bodyOf(capture);
    String original = body.toString();
    String oldModel = AnthropicBody.scan(body).params().model();

    Buffer patched = AnthropicBody.replaceModel(body, "gpt-5 \"quoted\"");

    String expected = original.replaceFirst(java.util.regex.Pattern.quote("\"model\":\"" + oldModel + "\""),
        java.util.regex.Matcher.quoteReplacement("\"model\":\"gpt-5 \\\"quoted\\\"\""));
    assertEquals(expected, patched.toString());
    JsonNode patchedTree = JSON.readTree(patched.getBytes());
    ObjectNode originalTree = (ObjectNode) JSON.readTree(body.getBytes());
    assertEquals("gpt-5 \"quoted\"", patchedTree.path("model").asText());
    originalTree.put("model", "gpt-5 \"quoted\"");
    assertEquals(originalTree, patchedTree);
  }

  @Test
  void should_keep_whitespace_and_field_order_when_model_is_not_first() {
    Buffer body = Buffer.buffer("{ \"max_tokens\" : 5,\n  \"messages\": [{\"role\":\"user\",\"content\":\"model\"}],"
        + " \"model\" :  \"openai/gpt-5\" , \"x\": {\"model\":\"inner\"} }");

    Buffer patched = AnthropicBody.replaceModel(body, "gpt-5");

    assertEquals("{ \"max_tokens\" : 5,\n  \"messages\": [{\"role\":\"user\",\"content\":\"model\"}],"
        + " \"model\" :  \"gpt-5\" , \"x\": {\"model\":\"inner\"} }", patched.toString());
  }

  @Test
  void should_splice_at_the_right_bytes_when_the_buffer_is_a_slice_of_a_larger_one() {
    Buffer whole = Buffer.buffer("GARBAGE{\"model\":\"a/b\",\"max_tokens\":1}TRAILER");
    Buffer slice = whole.slice(7, whole.length() - 7);

    assertEquals("b", AnthropicBody.scan(slice).params().model().substring(2));
    assertEquals("{\"model\":\"b\",\"max_tokens\":1}", AnthropicBody.replaceModel(slice, "b").toString());
  }

  @Test
  void should_count_multibyte_characters_as_bytes_when_splicing() {
    Buffer body = Buffer.buffer("{\"system\":\"h\u00e9llo \u2713\",\"model\":\"anthropic/claude\",\"z\":\"\u00fc\"}");

    assertEquals("{\"system\":\"h\u00e9llo \u2713\",\"model\":\"claude\",\"z\":\"\u00fc\"}",
        AnthropicBody.replaceModel(body, "claude").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"model\":\"x\",}", "[1]", "\"text\"", "{\"model\":\"x\"} {}", "{\"a\":[1,2}"})
  void should_refuse_with_invalid_request_when_body_is_not_one_json_object(String text) {
    Failure.FailureException error = assertThrows(Failure.FailureException.class,
        () -> AnthropicBody.scan(Buffer.buffer(text)));
    assertEquals(FailureCode.INVALID_REQUEST, error.failure().code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"model\":\"claude-a\",\"messages\":[],\"model\":\"openai/gpt-5\"}",
      "{\"stream\":true,\"max_tokens\":5,\"stream\":false}", "{\"x\":{},\"x\":1}"})
  void should_refuse_duplicate_top_level_keys_so_the_upstream_cannot_see_another_model(String text) {
    Failure.FailureException error = assertThrows(Failure.FailureException.class,
        () -> AnthropicBody.scan(Buffer.buffer(text)));
    assertEquals(FailureCode.INVALID_REQUEST, error.failure().code());
    assertTrue(error.failure().message().contains("twice"), error.failure().message());
  }

  @Test
  void should_refuse_a_body_in_utf16_whose_offsets_would_not_be_bytes() {
    byte[] utf16 = "{\"model\":\"claude\",\"messages\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_16);
    Failure.FailureException error = assertThrows(Failure.FailureException.class,
        () -> AnthropicBody.scan(Buffer.buffer(utf16)));
    assertTrue(error.failure().message().contains("UTF-8"), error.failure().message());
  }

  @Test
  void should_accept_the_same_key_in_different_nested_objects() {
    AnthropicBody.Summary summary = AnthropicBody.scan(Buffer.buffer(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"}]}"));
    assertEquals("m", summary.params().model());
  }

  @Test
  void should_report_missing_fields_when_absent() {
    AnthropicBody.Summary summary = AnthropicBody.scan(Buffer.buffer("{\"tools\":[],\"thinking\":{\"type\":\"disabled\"}}"));

    assertEquals(null, summary.params().model());
    assertEquals(-1, summary.params().maxTokens());
    assertFalse(summary.params().hasTools());
    assertFalse(summary.params().thinking());
    assertFalse(summary.hasMessages());
  }

  @Test
  void should_estimate_more_tokens_for_longer_requests() {
    long small = TokenEstimator.estimate(Buffer.buffer("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    long large = TokenEstimator.estimate(Buffer.buffer("{\"messages\":[{\"role\":\"user\",\"content\":\""
        + "word ".repeat(4000) + "\"}]}"));

    assertTrue(small >= 1);
    assertTrue(large >= 4000 && large <= 6000, "about 5 chars a word at 4 chars a token: " + large);
  }
}
