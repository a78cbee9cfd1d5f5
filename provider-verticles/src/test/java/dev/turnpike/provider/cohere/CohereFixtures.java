package dev.turnpike.provider.cohere;

import dev.turnpike.provider.FixtureFiles;
import dev.turnpike.provider.StreamCuts;
import dev.turnpike.provider.TestJson;
import dev.turnpike.provider.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** The golden fixtures under {@code src/test/resources/fixtures/cohere} (see SOURCES.md there). */
final class CohereFixtures {
  static final FixtureFiles FILES = new FixtureFiles("cohere");
  static final String UPSTREAM_MODEL = "command-a-03-2025";
  static final String CLIENT_MODEL = "claude-sonnet-4-5";
  static final String PROVIDER = "cohere";
  /** Fixed so stream fixtures do not depend on the estimate heuristic. */
  static final long ESTIMATED_INPUT_TOKENS = 42;

  /** What a translated stream came to: the Anthropic bytes and the translator, to read how it ended. */
  record Translated(String sse, CohereStreamTranslator translator) {}

  private CohereFixtures() {}

  /** Feeds a Cohere SSE stream, cut at {@code cuts}, through the parser and the translator, as the adapter does. */
  static Translated translateStream(byte[] cohereStream, int[] cuts, CohereToolNames names) {
    CohereStreamTranslator translator = new CohereStreamTranslator(CLIENT_MODEL, names, ESTIMATED_INPUT_TOKENS);
    Buffer out = Buffer.buffer();
    SseParser parser = new SseParser((event, data) -> {
      if (!translator.ended() && !"[DONE]".equals(data.trim())) {
        out.appendBuffer(translator.onEvent(TestJson.read(data)));
      }
    }, 1 << 20);
    StreamCuts.feed(cohereStream, cuts, parser::feed);
    parser.end();
    return new Translated(out.toString(StandardCharsets.UTF_8), translator);
  }

  /** A mapper that has seen the case's request, as in the adapter, where one mapper serves both directions. */
  static CohereToolNames namesFor(String caseName) {
    CohereToolNames names = new CohereToolNames();
    if (FILES.exists(caseName + ".anthropic-request.json")) {
      CohereRequestTranslator.toCohereChat(FILES.json(caseName + ".anthropic-request.json"), UPSTREAM_MODEL, names);
    }
    return names;
  }
}
