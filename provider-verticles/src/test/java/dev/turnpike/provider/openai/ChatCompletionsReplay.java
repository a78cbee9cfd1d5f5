package dev.turnpike.provider.openai;

import dev.turnpike.provider.StreamCuts;
import dev.turnpike.provider.TestJson;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Replays a recorded Chat Completions SSE stream through the stream translator as the adapter does (OpenAI, Azure). */
public final class ChatCompletionsReplay {
  private ChatCompletionsReplay() {}

  /** The Anthropic stream {@code translator} makes of {@code stream} when the network cuts it at {@code cuts}. */
  public static String translate(byte[] stream, int[] cuts, OpenAiStreamTranslator translator) {
    Buffer out = Buffer.buffer();
    boolean[] done = {false};
    SseParser parser = new SseParser((event, data) -> {
      if (done[0]) {
        return;
      }
      if ("[DONE]".equals(data.trim())) {
        done[0] = true;
        out.appendBuffer(translator.finish());
        return;
      }
      out.appendBuffer(translator.onChunk(TestJson.read(data)));
    }, 1 << 20);
    StreamCuts.feed(stream, cuts, parser::feed);
    parser.end();
    if (!done[0]) {
      out.appendBuffer(translator.finish()); // a clean end without [DONE]
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
