package dev.turnpike.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Usage;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AnthropicStreamUsageTest {
  private static AnthropicStreamUsage feed(String stream) {
    AnthropicStreamUsage usage = new AnthropicStreamUsage("anthropic");
    SseParser parser = new SseParser(usage, 1 << 20);
    parser.feed(Buffer.buffer(stream));
    parser.end();
    return usage;
  }

  @Test
  void should_count_what_a_real_claude_code_stream_reported() throws IOException {
    String capture = Files.readString(capture("cc2.1.332-sse_thinking_text_tool.txt"));
    AnthropicStreamUsage usage = feed(capture);
    assertTrue(usage.stopped());
    assertNull(usage.streamError());
    assertTrue(usage.usage().outputTokens() > 0, usage.usage().toString());
  }

  @Test
  void should_keep_the_input_tokens_of_message_start_when_the_stream_is_cut() {
    AnthropicStreamUsage usage = feed("event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
        + "{\"usage\":{\"input_tokens\":1000,\"cache_read_input_tokens\":20,\"output_tokens\":1}}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\"");
    assertEquals(new Usage(1000, 1, 20, 0), usage.usage());
    assertFalse(usage.stopped());
  }

  @Test
  void should_classify_an_error_event_inside_the_stream() {
    AnthropicStreamUsage usage = feed("event: message_start\ndata: {\"message\":{\"usage\":{\"input_tokens\":5}}}\n\n"
        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
    assertEquals(FailureCode.UPSTREAM_OVERLOADED, usage.streamError().code());
    assertTrue(usage.streamError().message().contains("Overloaded"));
    assertEquals(5, usage.usage().inputTokens());
  }

  private static Path capture(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("fixtures/claude-code").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no fixtures/claude-code/" + name + " above " + Path.of("").toAbsolutePath());
  }
}
