package dev.turnpike.provider.gemini;

import dev.turnpike.provider.FixtureFiles;
import dev.turnpike.provider.StreamCuts;
import dev.turnpike.provider.TestJson;
import dev.turnpike.provider.openai.ToolNameMapper;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** The golden fixtures under {@code src/test/resources/fixtures/gemini} (see SOURCES.md there). */
final class GeminiFixtures {
  static final FixtureFiles FILES = new FixtureFiles("gemini");
  static final String UPSTREAM_MODEL = "gemini-2.5-pro";
  static final String CLIENT_MODEL = "claude-sonnet-4-5";
  /** Fixed so stream fixtures do not depend on the estimate heuristic. */
  static final long ESTIMATED_INPUT_TOKENS = 42;

  private GeminiFixtures() {}

  /**
   * Feeds a Gemini SSE byte stream in the given chunks through the parser and the translator, and finishes it
   * as the adapter does at a clean end.
   */
  static String translateStream(byte[] geminiStream, int[] cuts, ToolNameMapper names) {
    GeminiStreamTranslator translator = new GeminiStreamTranslator(CLIENT_MODEL, names, ESTIMATED_INPUT_TOKENS);
    Buffer out = Buffer.buffer();
    SseParser parser = new SseParser((event, data) -> out.appendBuffer(translator.onChunk(TestJson.read(data))),
        1 << 20);
    StreamCuts.feed(geminiStream, cuts, parser::feed);
    parser.end();
    if (translator.sawFinish()) {
      out.appendBuffer(translator.finish());
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A mapper that has seen the case's request, as in the adapter, where one mapper serves both directions. */
  static ToolNameMapper namesFor(String caseName) {
    ToolNameMapper names = GeminiRequestTranslator.toolNames();
    if (FILES.exists(caseName + ".anthropic-request.json")) {
      GeminiRequestTranslator.toGenerateContent(FILES.json(caseName + ".anthropic-request.json"), UPSTREAM_MODEL,
          true, names);
    }
    return names;
  }
}
