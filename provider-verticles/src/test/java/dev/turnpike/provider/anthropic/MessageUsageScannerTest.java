package dev.turnpike.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.turnpike.contract.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageUsageScannerTest {
  /**
   * A non-streaming Messages answer as Anthropic's API reference shows it (Messages, "Response"), with the
   * traps a naive scan falls into: a nested {@code usage} inside a tool input, escaped quotes and braces inside
   * strings, and the nested {@code cache_creation} object of the usage itself.
   */
  private static final String ANSWER = "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"say \\\"usage\\\": {\\\"input_tokens\\\": 9}\"},"
      + "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"usage\":{\"input_tokens\":77}}}],"
      + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":2095,\"cache_creation_input_tokens\":12,\"cache_read_input_tokens\":340,"
      + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":12},\"output_tokens\":503,\"service_tier\":\"standard\"}}";

  @Test
  void should_read_the_top_level_usage_whatever_the_chunking() {
    byte[] bytes = ANSWER.getBytes(StandardCharsets.UTF_8);
    Usage expected = new Usage(2095, 503, 340, 12);
    for (int cut = 1; cut < bytes.length; cut++) {
      MessageUsageScanner scanner = new MessageUsageScanner();
      scanner.feed(Buffer.buffer().appendBytes(bytes, 0, cut));
      scanner.feed(Buffer.buffer().appendBytes(bytes, cut, bytes.length - cut));
      assertEquals(expected, scanner.usage(), "cut at " + cut);
    }
  }

  @Test
  void should_report_nothing_for_a_body_without_usage_or_not_json() {
    MessageUsageScanner scanner = new MessageUsageScanner();
    scanner.feed(Buffer.buffer("<html>502 Bad Gateway</html>"));
    assertEquals(Usage.NONE, scanner.usage());
  }
}
