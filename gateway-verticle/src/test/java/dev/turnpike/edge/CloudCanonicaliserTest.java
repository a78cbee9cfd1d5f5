package dev.turnpike.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.anthropic.AnthropicBody;
import dev.turnpike.contract.anthropic.TopLevelFields;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Claude Code's Bedrock and Vertex bodies (the captures) become ordinary Anthropic Messages bodies. */
class CloudCanonicaliserTest {

  @Test
  void should_make_a_bedrock_stream_body_an_anthropic_one_with_the_url_model_and_the_betas_in_the_header()
      throws Exception {
    JsonObject capture = ClaudeCodeCaptures.request("cc2.1.197-bedrock-invoke-stream.request.json");
    Buffer body = capture.getJsonObject("body").toBuffer();
    MultiMap headers = headers(capture.getJsonObject("headers"));

    CanonicalRequest canonical = CloudCanonicaliser.canonical(body, headers,
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0", Operation.MESSAGES, true);

    JsonObject result = new JsonObject(canonical.body());
    assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0", result.getString("model"));
    assertEquals(true, result.getBoolean("stream"));
    assertFalse(result.containsKey("anthropic_version"));
    assertFalse(result.containsKey("anthropic_beta"));
    // The header's beta first, then the body's, each once.
    assertEquals("claude-code-20250219,interleaved-thinking-2025-05-14,tool-search-tool-2025-10-19",
        canonical.headers().get("anthropic-beta"));
    assertEquals("2023-06-01", canonical.headers().get("anthropic-version"), "the other headers stay");
    assertEquals("claude-code-20250219", headers.get("anthropic-beta"), "the client's headers are not changed");
    assertNull(canonical.query());
    assertSameOtherwise(body, canonical.body(), List.of("anthropic_version", "anthropic_beta"),
        List.of("model", "stream"));
    AnthropicBody.Summary summary = AnthropicBody.scan(canonical.body());
    assertEquals(32000, summary.params().maxTokens());
    assertEquals(true, summary.params().stream());
  }

  @Test
  void should_make_a_bedrock_invoke_body_a_non_streaming_one_and_name_a_beta_of_both_once() throws Exception {
    JsonObject capture = ClaudeCodeCaptures.request("cc2.1.332-bedrock_req_with_tool_result.json");
    Buffer body = capture.getJsonObject("body").toBuffer();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    capture.getJsonArray("headers").forEach(pair -> headers.add(((JsonArray) pair).getString(0),
        ((JsonArray) pair).getString(1)));

    CanonicalRequest canonical = CloudCanonicaliser.canonical(body, headers, "us.anthropic.claude-opus-5-5",
        Operation.MESSAGES, false);

    assertEquals(false, new JsonObject(canonical.body()).getBoolean("stream"));
    // thinking-token-count-2026-05-13 is in both the header and the body.
    assertEquals("claude-code-20250219,thinking-token-count-2026-05-13,effort-2025-11-24,"
        + "interleaved-thinking-2025-05-14,tool-search-tool-2025-10-19", canonical.headers().get("anthropic-beta"));
  }

  @Test
  void should_leave_the_beta_header_alone_when_the_body_has_no_betas() throws Exception {
    Buffer body = ClaudeCodeCaptures.body("cc2.1.332-vertex_req_with_tool_result.json");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("anthropic-beta", "claude-code-20250219, x");

    CanonicalRequest canonical = CloudCanonicaliser.canonical(body, headers, "claude-opus-5-5", Operation.MESSAGES,
        true);

    assertEquals("claude-code-20250219, x", canonical.headers().get("anthropic-beta"));
  }

  @Test
  void should_keep_a_vertex_body_apart_from_its_version_and_give_it_the_url_model() throws Exception {
    Buffer body = ClaudeCodeCaptures.body("cc2.1.332-vertex_req_with_tool_result.json");

    CanonicalRequest canonical = CloudCanonicaliser.canonical(body, MultiMap.caseInsensitiveMultiMap(),
        "claude-opus-5-5", Operation.MESSAGES, true);

    JsonObject result = new JsonObject(canonical.body());
    assertEquals("claude-opus-5-5", result.getString("model"));
    assertFalse(result.containsKey("anthropic_version"));
    assertSameOtherwise(body, canonical.body(), List.of("anthropic_version"), List.of("model"));
  }

  @Test
  void should_keep_the_model_of_a_vertex_count_tokens_body_and_leave_stream_out() throws Exception {
    Buffer body = ClaudeCodeCaptures.body("cc2.1.332-vertex_count_tokens_req.json");

    CanonicalRequest canonical = CloudCanonicaliser.canonical(
        TopLevelFields.patch(body, java.util.Map.of("stream", "false", "max_tokens", "1"), java.util.Set.of()),
        MultiMap.caseInsensitiveMultiMap(), null, Operation.COUNT_TOKENS, false);

    JsonObject result = new JsonObject(canonical.body());
    assertEquals("claude-opus-5-5", result.getString("model"));
    assertFalse(result.containsKey("stream"), "count_tokens takes no stream field");
    assertFalse(result.containsKey("max_tokens"));
    assertFalse(result.containsKey("anthropic_version"));
    assertEquals(new JsonArray().add(new JsonObject().put("role", "user").put("content", "foo")),
        result.getJsonArray("messages"));
  }

  @Test
  void should_refuse_betas_that_are_not_a_list_of_names() {
    for (String betas : new String[] {"\"interleaved-thinking-2025-05-14\"", "[1]", "[\"a,b\"]",
        "[\"a\\r\\nx-api-key: stolen\"]", "[\"\"]", "{\"a\":1}"}) {
      Buffer body = Buffer.buffer("{\"anthropic_beta\":" + betas + ",\"max_tokens\":1,\"messages\":[]}");

      Failure.FailureException refused = assertThrows(Failure.FailureException.class,
          () -> CloudCanonicaliser.canonical(body, MultiMap.caseInsensitiveMultiMap(), "m", Operation.MESSAGES,
              false), betas);
      assertEquals(FailureCode.INVALID_REQUEST, refused.failure().code());
    }
  }

  @Test
  void should_merge_repeated_and_spaced_beta_headers_without_duplicates() {
    Buffer body = Buffer.buffer("{\"anthropic_beta\":[\"b\",\"c\",\"b\"],\"max_tokens\":1,\"messages\":[]}");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Anthropic-Beta", "a, b").add("anthropic-beta", "d");

    CanonicalRequest canonical = CloudCanonicaliser.canonical(body, headers, "m", Operation.MESSAGES, false);

    assertEquals(List.of("a,b,d,c"), canonical.headers().getAll("anthropic-beta"));
  }

  @Test
  void should_take_a_null_beta_list_for_none() {
    Buffer body = Buffer.buffer("{\"anthropic_beta\":null,\"max_tokens\":1,\"messages\":[]}");

    CanonicalRequest canonical = CloudCanonicaliser.canonical(body, MultiMap.caseInsensitiveMultiMap(), "m",
        Operation.MESSAGES, false);

    assertFalse(new JsonObject(canonical.body()).containsKey("anthropic_beta"));
    assertNull(canonical.headers().get("anthropic-beta"));
  }

  /** Every field but the removed and the added ones has the same bytes as before. */
  private static void assertSameOtherwise(Buffer before, Buffer after, List<String> removed, List<String> added) {
    JsonObject expected = new JsonObject(before);
    removed.forEach(expected::remove);
    JsonObject actual = new JsonObject(after);
    added.forEach(actual::remove);
    assertEquals(expected.fieldNames(), actual.fieldNames());
    for (String field : expected.fieldNames()) {
      assertEquals(TopLevelFields.raw(before, field), TopLevelFields.raw(after, field), field);
    }
  }

  private static MultiMap headers(JsonObject captured) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    captured.forEach(header -> headers.add(header.getKey(), String.valueOf(header.getValue())));
    return headers;
  }
}
