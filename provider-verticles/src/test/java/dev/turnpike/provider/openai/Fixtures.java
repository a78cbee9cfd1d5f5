package dev.turnpike.provider.openai;

import dev.turnpike.provider.FixtureFiles;

/** The golden fixtures under {@code src/test/resources/fixtures/openai} (see SOURCES.md there). */
final class Fixtures {
  static final FixtureFiles FILES = new FixtureFiles("openai");
  static final String UPSTREAM_MODEL = "gpt-5";
  static final String CLIENT_MODEL = "claude-sonnet-4-5";
  /** Fixed so stream fixtures do not depend on the estimate heuristic. */
  static final long ESTIMATED_INPUT_TOKENS = 42;

  private Fixtures() {}

  /** Feeds an OpenAI SSE byte stream in the given chunks through the parser and the translator. */
  static String translateStream(byte[] openAiStream, int[] cuts, ToolNameMapper names) {
    return ChatCompletionsReplay.translate(openAiStream, cuts,
        new OpenAiStreamTranslator(CLIENT_MODEL, names, ESTIMATED_INPUT_TOKENS));
  }

  /** A mapper that has seen the case's request, as in the adapter, where one mapper serves both directions. */
  static ToolNameMapper namesFor(String caseName) {
    ToolNameMapper names = new ToolNameMapper();
    if (FILES.exists(caseName + ".anthropic-request.json")) {
      OpenAiRequestTranslator.toChatCompletions(FILES.json(caseName + ".anthropic-request.json"), UPSTREAM_MODEL,
          names);
    }
    return names;
  }
}
