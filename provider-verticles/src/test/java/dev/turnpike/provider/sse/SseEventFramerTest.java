package dev.turnpike.provider.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEventFramerTest {
  /** Anthropic's own framing (LF), then a CRLF and a CR event, and a last one cut mid-line. */
  private static final String STREAM = "event: message_start\ndata: {\"type\":\"message_start\",\"t\":\"ü€\"}\n\n"
      + "event: content_block_delta\r\ndata: {\"d\":1}\r\n\r\n"
      + "event: ping\rdata: {}\r\r"
      + "event: content_block_delta\ndata: {\"d\":";

  private static final int WHOLE_EVENTS_END = STREAM.lastIndexOf("event: content_block_delta\ndata");

  @Test
  void should_emit_only_whole_events_and_lose_no_byte_when_chunks_split_anywhere() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    int wholeEnd = STREAM.substring(0, WHOLE_EVENTS_END).getBytes(StandardCharsets.UTF_8).length;
    for (int cut = 1; cut < bytes.length; cut++) {
      for (int second = cut; second < bytes.length; second += 5) {
        SseEventFramer framer = new SseEventFramer(new SseParser((e, d) -> { }, 1 << 20));
        Buffer out = Buffer.buffer();
        int[] cuts = {0, cut, second, bytes.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
          Buffer piece = framer.push(Buffer.buffer().appendBytes(bytes, cuts[i], cuts[i + 1] - cuts[i]));
          out.appendBuffer(piece);
          String sent = out.toString(StandardCharsets.UTF_8);
          assertTrue(STREAM.startsWith(sent), "cut " + cut + "/" + second + ": bytes changed");
          assertTrue(endsOnBoundary(sent), "cut " + cut + "/" + second + ": output ends mid-event: " + sent);
        }
        assertEquals(wholeEnd, out.length(), "cut " + cut + "/" + second + ": the partial last event is held back");
        out.appendBuffer(framer.end());
        assertEquals(STREAM, out.toString(StandardCharsets.UTF_8), "every byte relayed, in order");
      }
    }
  }

  @Test
  void should_pass_a_chunk_that_ends_on_a_boundary_through_without_a_copy() {
    SseEventFramer framer = new SseEventFramer(new SseParser((e, d) -> { }, 1 << 20));
    Buffer chunk = Buffer.buffer("event: ping\ndata: {}\n\n");
    assertTrue(framer.push(chunk) == chunk);
  }

  private static boolean endsOnBoundary(String text) {
    // A CRLF boundary may be cut after its last CR: the LF then opens the next piece, which is harmless.
    return text.isEmpty() || text.endsWith("\n\n") || text.endsWith("\r\n\r\n") || text.endsWith("\r\r")
        || text.endsWith("\r\n\r");
  }
}
