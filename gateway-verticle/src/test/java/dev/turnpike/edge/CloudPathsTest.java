package dev.turnpike.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import org.junit.jupiter.api.Test;

/** The Bedrock and Vertex call paths Claude Code sends, and the model ids in them. */
class CloudPathsTest {

  @Test
  void should_read_the_bedrock_paths_of_the_captures() throws Exception {
    // Captured under ANTHROPIC_BEDROCK_BASE_URL=.../bedrock (2.1.197) and at the base itself (2.1.332).
    for (String[] capture : new String[][] {
        {"cc2.1.197-bedrock-invoke-stream.request.json", "", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "INVOKE_STREAM"},
        {"cc2.1.197-bedrock-sigv4-probe.request.json", "", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "INVOKE"},
        {"cc2.1.332-bedrock_req_with_tool_result.json", "/bedrock", "us.anthropic.claude-opus-5-5",
            "INVOKE_STREAM"},
        {"cc2.1.332-bedrock_count_tokens_req.json", "/bedrock", "anthropic.claude-opus-5-5", "COUNT_TOKENS"}}) {
      String path = capture[1] + ClaudeCodeCaptures.request(capture[0]).getString("path");

      BedrockPath parsed = BedrockPath.parse(path);

      assertEquals(capture[2], UrlModelId.decode(parsed.rawModelId()), path);
      assertEquals(BedrockPath.Action.valueOf(capture[3]), parsed.action(), path);
    }
  }

  @Test
  void should_read_encoded_ids_and_arns_whether_their_slash_is_encoded_or_not() {
    assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0", UrlModelId.decode(BedrockPath.parse(
        "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke").rawModelId()));
    String arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-5-5";
    for (String path : new String[] {
        "/bedrock/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic"
            + ".claude-opus-5-5/invoke-with-response-stream",
        "/bedrock/model/" + arn + "/invoke-with-response-stream"}) {
      BedrockPath parsed = BedrockPath.parse(path);
      assertEquals(arn, UrlModelId.decode(parsed.rawModelId()), path);
      assertEquals(BedrockPath.Action.INVOKE_STREAM, parsed.action());
    }
    assertEquals(BedrockPath.Action.CONVERSE_STREAM, BedrockPath.parse("/bedrock/model/m/converse-stream").action());
  }

  @Test
  void should_not_take_other_bedrock_paths_for_a_call() {
    assertNull(BedrockPath.parse("/bedrock/model/us.anthropic.claude-opus-5-5/invoke-async"));
    assertNull(BedrockPath.parse("/bedrock/model//invoke"));
    assertNull(BedrockPath.parse("/bedrock/model/invoke"));
    assertNull(BedrockPath.parse("/bedrock/models/m/invoke"));
  }

  @Test
  void should_decode_once_and_refuse_what_a_model_id_never_holds() {
    assertEquals("claude-sonnet-4-5@20250929", UrlModelId.decode("claude-sonnet-4-5%4020250929"));
    // Decoded once only: an encoded percent stays a percent, which no id holds.
    assertInvalid("us.anthropic.claude-v1%253A0");
    assertInvalid("claude%0Aevil");
    assertInvalid("claude sonnet");
    assertInvalid("claude+sonnet");
    assertInvalid("claude%zz");
    assertInvalid("claude%C3");
    assertInvalid("");
    assertInvalid("a".repeat(UrlModelId.MAX_CHARS + 1));
    assertInvalid("%61".repeat(UrlModelId.MAX_CHARS + 1));
    assertEquals(UrlModelId.MAX_CHARS, UrlModelId.decode("a".repeat(UrlModelId.MAX_CHARS)).length());
  }

  @Test
  void should_read_the_vertex_paths_of_the_captures_with_and_without_v1() throws Exception {
    // 2.1.197 under ANTHROPIC_VERTEX_BASE_URL=.../genai; 2.1.332 at the base itself, with /v1.
    VertexPath stream = VertexPath.parse(
        ClaudeCodeCaptures.request("cc2.1.197-vertex-stream.request.json").getString("path"));
    assertEquals("claude-sonnet-4-5@20250929", UrlModelId.decode(stream.rawModel()));
    assertEquals(VertexPath.Method.STREAM_RAW_PREDICT, stream.method());
    assertEquals("test-project", stream.project());
    assertEquals("us-east5", stream.location());

    VertexPath withV1 = VertexPath.parse("/genai" + ClaudeCodeCaptures.request(
        "cc2.1.332-vertex_req_with_tool_result.json").getString("path"));
    assertEquals("claude-opus-5-5", withV1.rawModel());
    assertEquals(VertexPath.Method.STREAM_RAW_PREDICT, withV1.method());

    VertexPath count = VertexPath.parse("/genai" + ClaudeCodeCaptures.request(
        "cc2.1.332-vertex_count_tokens_req.json").getString("path"));
    assertTrue(count.countTokens());
    assertEquals(VertexPath.Method.RAW_PREDICT, count.method());
    assertEquals("my-proj", count.project());
  }

  @Test
  void should_not_take_other_vertex_paths_for_a_call() {
    String base = "/genai/v1/projects/p/locations/l/publishers/";
    assertNull(VertexPath.parse(base + "google/models/gemini-2.5-pro:streamGenerateContent"));
    assertNull(VertexPath.parse(base + "google/models/claude-opus-5-5:rawPredict"));
    assertNull(VertexPath.parse(base + "anthropic/models/claude-opus-5-5:predict"));
    assertNull(VertexPath.parse(base + "anthropic/models/claude-opus-5-5"));
    assertNull(VertexPath.parse(base + "anthropic/models/a/b:rawPredict"));
    assertNull(VertexPath.parse("/genai/v1/projects//locations/l/publishers/anthropic/models/m:rawPredict"));
    assertNull(VertexPath.parse("/genai/v2/projects/p/locations/l/publishers/anthropic/models/m:rawPredict"));
  }

  private static void assertInvalid(String raw) {
    Failure.FailureException refused = assertThrows(Failure.FailureException.class, () -> UrlModelId.decode(raw),
        raw);
    assertEquals(FailureCode.INVALID_REQUEST, refused.failure().code());
  }
}
